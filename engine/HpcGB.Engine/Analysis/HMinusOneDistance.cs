using System.Numerics;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// The H^{−1} norm on a <see cref="ContinuumGrid"/>: ‖f‖² = |f̂_0|² + Σ_{k≠0} |f̂_k|² / (4π²|k|²) over the grid's
/// modes (Nyquist modes left out, as in <see cref="ContinuumField"/>), with f̂_k the discrete Fourier coefficients of
/// the cell values, by one FFT. The k = 0 term makes a mass difference count; for equal masses it is the usual
/// homogeneous norm, which metrises weak convergence of bounded measures. Particles enter through
/// <see cref="ParticleDeposit"/>, so any n costs O(n + M log M).
/// </summary>
public static class HMinusOneDistance
{
    /// <summary>‖f‖_{H^{−1}} of cell values f.</summary>
    public static double Norm(ContinuumGrid grid, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(grid);
        using var fft = new RealFft(grid.Shape, FftwPlannerFlags.Estimate);
        using var spectrum = fft.AllocateSpectrum();
        fft.Forward(values, spectrum);
        Complex[] s = spectrum.Span.ToArray();
        double n = grid.CellCount;
        double sum = 0;
        ContinuumField.ForEachMode(grid, (index, k1, k2, nyquist, weight) =>
        {
            if (nyquist)
            {
                return;
            }
            Complex c = s[index] / n;
            double kk = (double)k1 * k1 + (double)k2 * k2;
            double factor = kk == 0 ? 1.0 : 1.0 / (4 * Math.PI * Math.PI * kk);
            sum += weight * factor * (c.Real * c.Real + c.Imaginary * c.Imaginary);
        });
        return Math.Sqrt(sum);
    }

    /// <summary>‖a − b‖_{H^{−1}} of two densities on the same grid.</summary>
    public static double Between(ContinuumGrid grid, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var difference = new double[a.Length];
        for (int c = 0; c < difference.Length; c++)
        {
            difference[c] = a[c] - b[c];
        }
        return Norm(grid, difference);
    }

    /// <summary>‖μ_n^± − ρ^±‖_{H^{−1}} for the particles of sign <paramref name="sign"/> (mass 1/n each).</summary>
    public static double Between(ContinuumGrid grid, ParticleState state, int sign, ReadOnlySpan<double> density) =>
        Between(grid, ParticleDeposit.CloudInCell(grid, state, sign), density);
}
