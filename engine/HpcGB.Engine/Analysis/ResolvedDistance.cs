using System.Numerics;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// The H^{−1} distance at the scales an interaction of range σ resolves: ‖G_σ * (μ_n^± − ρ^±)‖_{H^{−1}} with G_σ
/// the Gaussian of width σ (Fourier multiplier e^{−2π²σ²|k|²}), so
/// d_σ² = |μ̂_0 − ρ̂_0|² + Σ_{k≠0} e^{−4π²σ²|k|²} |μ̂_k − ρ̂_k|² / (4π²|k|²).
/// Unlike <see cref="HMinusOneDistance"/> it deposits nothing: the particles' coefficients are exact sums
/// (1/n) Σ_i e^{−2πi k·x_i}, the density's are the exact integrals of its piecewise-constant cells, so a distance
/// of 10⁻⁹ is a distance of 10⁻⁹. Modes are summed over |k|_∞ ≤ K with e^{−4π²σ²K²} ≤ 10⁻¹⁶. The plain H^{−1}
/// distance of n points to a smooth density has a floor of order 1/n from scales below σ that the dynamics with a
/// kernel regularised at σ never sees; this one does not.
/// </summary>
public static class ResolvedDistance
{
    /// <summary>d_σ(μ_n^±, ρ^±) for the particles of sign <paramref name="sign"/> (mass 1/n each).</summary>
    /// <param name="density">ρ^± as cell averages on <paramref name="grid"/> (x1 slowest).</param>
    public static double Between(ParticleState particles, int sign, ContinuumGrid grid, ReadOnlySpan<double> density, double sigma)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        if (particles.Dimension != grid.Dimension || density.Length != grid.CellCount)
        {
            throw new ArgumentException("particles, grid and density must agree in dimension and size");
        }
        double needed = Math.Ceiling(Math.Sqrt(16 * Math.Log(10)) / (2 * Math.PI * sigma));
        // Direct sums cost n·K^d per call: beyond these the smoothing scale is too fine for this method.
        if (needed > (grid.Dimension == 1 ? 1 << 16 : 1 << 10))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"σ = {sigma:G3} needs {needed:G3} modes per axis; use HMinusOneDistance");
        }
        int modes = (int)needed;
        int k2Count = grid.Dimension == 2 ? modes + 1 : 1; // k2 ≥ 0: the other half are complex conjugates
        int k1Count = 2 * modes + 1;
        var difference = new Complex[k1Count, k2Count];
        AddParticles(particles, sign, modes, difference);
        SubtractCells(grid, density, modes, difference);

        double sum = 0;
        for (int a = 0; a < k1Count; a++)
        {
            int k1 = a - modes;
            for (int k2 = 0; k2 < k2Count; k2++)
            {
                if (k2 == 0 && k1 < 0)
                {
                    continue; // counted with its conjugate k1 > 0
                }
                double kk = (double)k1 * k1 + (double)k2 * k2;
                double c2 = difference[a, k2].Real * difference[a, k2].Real + difference[a, k2].Imaginary * difference[a, k2].Imaginary;
                if (kk == 0)
                {
                    sum += c2;
                    continue;
                }
                double weight = Math.Exp(-4 * Math.PI * Math.PI * sigma * sigma * kk) / (4 * Math.PI * Math.PI * kk);
                sum += 2 * weight * c2; // k and −k
            }
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Adds (1/n) Σ_i e^{−2πi k·x_i} over the particles of one sign, k1 = −K…K, k2 = 0…K.</summary>
    private static void AddParticles(ParticleState particles, int sign, int modes, Complex[,] target)
    {
        int k2Count = target.GetLength(1);
        double mass = 1.0 / particles.Count;
        var row = new Complex[2 * modes + 1];
        var column = new Complex[k2Count];
        for (int i = 0; i < particles.Count; i++)
        {
            if (particles.Signs[i] != sign)
            {
                continue;
            }
            Powers(Torus.Wrap(particles.Positions[0][i]), -modes, row);
            if (particles.Dimension == 2)
            {
                Powers(Torus.Wrap(particles.Positions[1][i]), 0, column);
            }
            else
            {
                column[0] = 1;
            }
            for (int a = 0; a < row.Length; a++)
            {
                Complex r = mass * row[a];
                for (int b = 0; b < k2Count; b++)
                {
                    target[a, b] += r * column[b];
                }
            }
        }
    }

    /// <summary>Subtracts the exact Fourier coefficients of the piecewise-constant density.</summary>
    private static void SubtractCells(ContinuumGrid grid, ReadOnlySpan<double> density, int modes, Complex[,] target)
    {
        int k2Count = target.GetLength(1);
        int m1 = grid.M1, m2 = grid.M2;
        // ∫_cell e^{−2πikx} dx per axis, for the cell [j h, (j + 1) h) = e^{−2πikjh} · CellFactor(k, h).
        var inner = new Complex[m1, k2Count];
        var powers = new Complex[k2Count];
        for (int j = 0; j < m2; j++)
        {
            if (grid.Dimension == 2)
            {
                Powers((double)j / m2, 0, powers);
            }
            else
            {
                powers[0] = 1;
            }
            for (int i = 0; i < m1; i++)
            {
                double value = density[i * m2 + j];
                for (int b = 0; b < k2Count; b++)
                {
                    inner[i, b] += value * powers[b];
                }
            }
        }
        var row = new Complex[2 * modes + 1];
        for (int i = 0; i < m1; i++)
        {
            Powers((double)i / m1, -modes, row);
            for (int a = 0; a < row.Length; a++)
            {
                Complex factor1 = CellFactor(a - modes, 1.0 / m1) * row[a];
                for (int b = 0; b < k2Count; b++)
                {
                    Complex factor2 = grid.Dimension == 2 ? CellFactor(b, 1.0 / m2) : 1;
                    target[a, b] -= factor1 * factor2 * inner[i, b];
                }
            }
        }
    }

    /// <summary>∫_0^h e^{−2πikx} dx.</summary>
    private static Complex CellFactor(int k, double h) => k == 0
        ? h
        : (Complex.Exp(new Complex(0, -2 * Math.PI * k * h)) - 1) / new Complex(0, -2 * Math.PI * k);

    /// <summary>e^{−2πi k x} for k = first, first + 1, … into <paramref name="values"/>, by recurrence from one exponential.</summary>
    private static void Powers(double x, int first, Complex[] values)
    {
        var step = Complex.Exp(new Complex(0, -2 * Math.PI * x));
        var current = Complex.Exp(new Complex(0, -2 * Math.PI * first * x));
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = current;
            current *= step;
        }
    }
}
