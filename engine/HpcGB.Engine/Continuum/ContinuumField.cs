using System.Numerics;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Continuum;

/// <summary>
/// The drift of the Groma–Balogh equations on a <see cref="ContinuumGrid"/>: at every face i+½ of every moving axis
/// a, w_a = ∂_a(V_δ * κ) + ∂_a U − F_a with κ = ρ⁺ − ρ⁻, so that sign ± moves with velocity ∓w (the particles'
/// ẋ_i = −b_i(∇V_δ * κ_n + ∇U − F)(x_i)). The convolution is one real-to-complex FFT of κ and one inverse FFT per
/// moving axis, with the kernel's Fourier multiplier 2πik_a V̂_δ,k (<see cref="FourierCoefficients"/>) shifted by
/// half a cell (e^{iπk_a/M_a}) so that the inverse lands on the faces exactly (spectral interpolation).
/// The Nyquist modes are dropped (their derivative is not real), for the field and the energy alike.
/// Glide (and 1D) moves x1 only.
/// </summary>
public sealed class ContinuumField : IDisposable
{
    private readonly RealFft _fft;
    private readonly FftwBuffer<double> _real;
    private readonly FftwBuffer<Complex> _kappaSpectrum;
    private readonly FftwBuffer<Complex> _work;
    private readonly FftwBuffer<double> _output;
    private readonly double[] _coefficients;   // V̂_δ,k on the half spectrum, Nyquist rows/columns zero
    private readonly double[] _weights;        // how often each half-spectrum entry counts in the full sum
    private readonly Complex[][] _multipliers; // 2πik_a V̂_δ,k e^{iπk_a/M_a} / N per moving axis
    private readonly double[][] _externalAtFaces; // ∂_a U − F_a at the faces of axis a
    private readonly double[] _externalAtCentres; // U at the cell centres

    public ContinuumField(ContinuumGrid grid, SystemModel model)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(model);
        if (grid.Dimension != model.Dimension)
        {
            throw new ArgumentException($"grid has dimension {grid.Dimension}, the model {model.Dimension}", nameof(grid));
        }
        Grid = grid;
        Model = model;
        MovingAxes = model.Dimension == 2 && model.Mobility == MobilityType.Isotropic ? 2 : 1;
        _fft = new RealFft(grid.Shape, FftwPlannerFlags.Estimate);
        _real = _fft.AllocateReal();
        _kappaSpectrum = _fft.AllocateSpectrum();
        _work = _fft.AllocateSpectrum();
        _output = _fft.AllocateReal();
        (_coefficients, _weights) = HalfSpectrumCoefficients(grid, model);
        _multipliers = Enumerable.Range(0, MovingAxes).Select(axis => Multipliers(grid, axis, _coefficients)).ToArray();
        _externalAtFaces = Enumerable.Range(0, MovingAxes).Select(axis => ExternalAtFaces(grid, model.External, axis)).ToArray();
        _externalAtCentres = ExternalAtCentres(grid, model.External);
        InteractionRate = MaxInteractionRate(grid, MovingAxes, _coefficients);
    }

    public ContinuumGrid Grid { get; }

    public SystemModel Model { get; }

    /// <summary>2 for 2D isotropic, 1 otherwise (1D, glide): the axes with fluxes.</summary>
    public int MovingAxes { get; }

    /// <summary>
    /// Λ = max_k 4π² Σ_{moving a} k_a² V̂_δ,k over the grid's modes. Linearised about a constant total density ρ̄,
    /// the interaction is the nonlocal diffusion ∂_t κ = ρ̄ Σ_a ∂_a²(V_δ * κ), whose fastest mode decays at rate ρ̄Λ;
    /// an explicit step must resolve it (1D unregularised: Λ = π²M, like an advective CFL with a large constant).
    /// </summary>
    public double InteractionRate { get; }

    /// <summary>New face arrays, one per moving axis.</summary>
    public double[][] NewFaceArrays() => Enumerable.Range(0, MovingAxes).Select(_ => new double[Grid.CellCount]).ToArray();

    /// <summary>w_a at the faces i+½ (index i = the cell left of the face) for every moving axis.</summary>
    public void Drift(ReadOnlySpan<double> positive, ReadOnlySpan<double> negative, double[][] drift)
    {
        TransformKappa(positive, negative);
        var kappa = _kappaSpectrum.Span;
        for (int axis = 0; axis < MovingAxes; axis++)
        {
            var work = _work.Span;
            var multiplier = _multipliers[axis];
            for (int s = 0; s < work.Length; s++)
            {
                work[s] = kappa[s] * multiplier[s];
            }
            _fft.InverseDestroyingInput(_work, _output);
            var field = _output.Span;
            var external = _externalAtFaces[axis];
            var target = drift[axis];
            for (int c = 0; c < target.Length; c++)
            {
                target[c] = field[c] + external[c];
            }
        }
    }

    /// <summary>
    /// E_δ(ρ) = ½ Σ_k V̂_δ,k |κ̂_k|² + ∫ U κ, with κ̂_k the grid's discrete Fourier coefficients (the same modes the
    /// drift uses). The applied force F has no periodic potential and is left out.
    /// </summary>
    public double Energy(ReadOnlySpan<double> positive, ReadOnlySpan<double> negative)
    {
        TransformKappa(positive, negative);
        var kappa = _kappaSpectrum.Span;
        double n = Grid.CellCount;
        double interaction = 0;
        for (int s = 0; s < kappa.Length; s++)
        {
            Complex k = kappa[s] / n;
            interaction += _weights[s] * _coefficients[s] * (k.Real * k.Real + k.Imaginary * k.Imaginary);
        }
        double external = 0;
        for (int c = 0; c < positive.Length; c++)
        {
            external += _externalAtCentres[c] * (positive[c] - negative[c]);
        }
        return 0.5 * interaction + external * Grid.CellVolume;
    }

    public void Dispose()
    {
        _real.Dispose();
        _kappaSpectrum.Dispose();
        _work.Dispose();
        _output.Dispose();
        _fft.Dispose();
    }

    private void TransformKappa(ReadOnlySpan<double> positive, ReadOnlySpan<double> negative)
    {
        var real = _real.Span;
        for (int c = 0; c < real.Length; c++)
        {
            real[c] = positive[c] - negative[c];
        }
        _fft.Forward(_real, _kappaSpectrum);
    }

    /// <summary>Signed wave number of FFT index <paramref name="index"/> on an axis of <paramref name="m"/> cells;
    /// <paramref name="nyquist"/> for the unpaired k = M/2 of an even M.</summary>
    internal static int WaveNumber(int index, int m, out bool nyquist)
    {
        nyquist = m % 2 == 0 && index == m / 2;
        return index <= m / 2 ? index : index - m;
    }

    /// <summary>Calls <paramref name="visit"/>(s, k1, k2, nyquist, weight) for every half-spectrum entry.</summary>
    internal static void ForEachMode(ContinuumGrid grid, Action<int, int, int, bool, double> visit)
    {
        if (grid.Dimension == 1)
        {
            int m = grid.M1;
            for (int s = 0; s <= m / 2; s++)
            {
                int k = WaveNumber(s, m, out bool nyquist);
                visit(s, k, 0, nyquist, s == 0 || nyquist ? 1.0 : 2.0);
            }
            return;
        }
        int m1 = grid.M1, m2 = grid.M2, half = m2 / 2 + 1;
        for (int i = 0; i < m1; i++)
        {
            int k1 = WaveNumber(i, m1, out bool nyquist1);
            for (int j = 0; j < half; j++)
            {
                int k2 = WaveNumber(j, m2, out bool nyquist2);
                visit(i * half + j, k1, k2, nyquist1 || nyquist2, j == 0 || nyquist2 ? 1.0 : 2.0);
            }
        }
    }

    private static (double[] Coefficients, double[] Weights) HalfSpectrumCoefficients(ContinuumGrid grid, SystemModel model)
    {
        int length = grid.Dimension == 1 ? grid.M1 / 2 + 1 : grid.M1 * (grid.M2 / 2 + 1);
        var coefficients = new double[length];
        var weights = new double[length];
        ForEachMode(grid, (s, k1, k2, nyquist, weight) =>
        {
            coefficients[s] = nyquist
                ? 0.0
                : FourierCoefficients.Coefficient(model.Dimension, model.Kernel, model.Regularization, k1, k2);
            weights[s] = weight;
        });
        return (coefficients, weights);
    }

    private static double MaxInteractionRate(ContinuumGrid grid, int movingAxes, double[] coefficients)
    {
        double rate = 0;
        ForEachMode(grid, (s, k1, k2, _, _) =>
        {
            double kk = (double)k1 * k1 + (movingAxes == 2 ? (double)k2 * k2 : 0.0);
            rate = Math.Max(rate, 4 * Math.PI * Math.PI * kk * coefficients[s]);
        });
        return rate;
    }

    private static Complex[] Multipliers(ContinuumGrid grid, int axis, double[] coefficients)
    {
        var multipliers = new Complex[coefficients.Length];
        double n = grid.CellCount;
        ForEachMode(grid, (s, k1, k2, _, _) =>
        {
            int k = axis == 0 ? k1 : k2;
            // ∂_a e^{2πik·x} = 2πik_a e^{2πik·x}; evaluating at x + h_a/2 multiplies by e^{iπk_a/M_a}.
            var shift = Complex.FromPolarCoordinates(1.0, Math.PI * k / grid.Shape[axis]);
            multipliers[s] = new Complex(0, 2 * Math.PI * k * coefficients[s] / n) * shift;
        });
        return multipliers;
    }

    private static double[] ExternalAtFaces(ContinuumGrid grid, ExternalPotential external, int axis)
    {
        var values = new double[grid.CellCount];
        Span<double> point = stackalloc double[grid.Dimension];
        Span<double> gradient = stackalloc double[grid.Dimension];
        for (int c = 0; c < values.Length; c++)
        {
            FacePoint(grid, c, axis, point);
            gradient.Clear();
            external.AddGradient(point, gradient);
            values[c] = gradient[axis] - external.Force[axis];
        }
        return values;
    }

    private static double[] ExternalAtCentres(ContinuumGrid grid, ExternalPotential external)
    {
        var values = new double[grid.CellCount];
        Span<double> point = stackalloc double[grid.Dimension];
        for (int c = 0; c < values.Length; c++)
        {
            CentrePoint(grid, c, point);
            values[c] = external.Value(point);
        }
        return values;
    }

    /// <summary>The centre of cell <paramref name="cell"/>.</summary>
    internal static void CentrePoint(ContinuumGrid grid, int cell, Span<double> point)
    {
        point[0] = grid.Centre(0, cell / grid.M2);
        if (grid.Dimension == 2)
        {
            point[1] = grid.Centre(1, cell % grid.M2);
        }
    }

    /// <summary>The face i+½ of axis <paramref name="axis"/> to the right of cell <paramref name="cell"/>.</summary>
    internal static void FacePoint(ContinuumGrid grid, int cell, int axis, Span<double> point)
    {
        CentrePoint(grid, cell, point);
        point[axis] += 0.5 * grid.Width(axis);
    }
}
