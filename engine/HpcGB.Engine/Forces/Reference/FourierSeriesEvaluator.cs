using System.Numerics;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Reference;

/// <summary>
/// Reference evaluator by direct Fourier sums, for kernels with no exact real-space form (2D poisson,
/// docs/numerics.md §2). With the structure factor S(k) = Σ_j b_j e^{−2πik·x_j}:
/// E = 1/(2n²) Σ_k V̂_k |S(k)|² (self terms included) and
/// ẋ_i = −(1/n) b_i Σ_k V̂_k 2πk Re(i e^{2πik·x_i} S(k)). Cost O(n K^d) with K ~ 6.7/δ: small n and
/// moderate δ only.
/// </summary>
public sealed class FourierSeriesEvaluator : IForceEvaluator
{
    private readonly int _cutoff;
    private readonly Func<int, int, double> _coefficient;

    public FourierSeriesEvaluator(SystemModel model)
        : this(model, (k1, k2) => FourierCoefficients.Coefficient(model.Dimension, model.Kernel, model.Regularization, k1, k2),
            FourierCoefficients.Cutoff(model.Regularization))
    {
    }

    /// <summary>Any even multiplier L̂ (used to check the mesh part of the fast path), summed for |k| ≤ cutoff.</summary>
    internal FourierSeriesEvaluator(SystemModel model, Func<int, int, double> coefficient, int cutoff)
    {
        Model = model;
        _coefficient = coefficient;
        _cutoff = cutoff;
    }

    public string Name => "reference-fourier";

    public SystemModel Model { get; }

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) =>
        Evaluate(state, velocity, withEnergy, CancellationToken.None);

    /// <summary>Checks <paramref name="cancellationToken"/> once per wave-vector row.</summary>
    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy, CancellationToken cancellationToken)
    {
        int n = state.Count, d = state.Dimension, k = _cutoff;
        // Phase tables e^{2πi m x_a,j} for m = 0 … K per axis, exact sincos (no recurrence drift).
        var phases = new Complex[d][,];
        for (int a = 0; a < d; a++)
        {
            var table = new Complex[n, k + 1];
            for (int j = 0; j < n; j++)
            {
                for (int m = 0; m <= k; m++)
                {
                    var (s, c) = Math.SinCos(2 * Math.PI * m * state.Positions[a][j]);
                    table[j, m] = new Complex(c, s);
                }
            }
            phases[a] = table;
        }
        Complex Phase(int j, int k1, int k2)
        {
            Complex p = k1 >= 0 ? phases[0][j, k1] : Complex.Conjugate(phases[0][j, -k1]);
            if (d == 2)
            {
                p *= k2 >= 0 ? phases[1][j, k2] : Complex.Conjugate(phases[1][j, -k2]);
            }
            return p;
        }

        var accumulators = new double[n * d];
        double energy = 0;
        // Half space of wave vectors: k1 > 0, or k1 = 0 and k2 > 0; the other half is the complex conjugate.
        int k2Max = d == 2 ? k : 0;
        for (int k1 = 0; k1 <= k; k1++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int k2 = -k2Max; k2 <= k2Max; k2++)
            {
                if (k1 == 0 && k2 <= 0)
                {
                    continue;
                }
                double kk = (double)k1 * k1 + (double)k2 * k2;
                if (kk > (double)k * k)
                {
                    continue;
                }
                double coefficient = _coefficient(k1, k2);
                if (coefficient == 0)
                {
                    continue;
                }
                Complex structure = Complex.Zero;
                for (int j = 0; j < n; j++)
                {
                    structure += state.Signs[j] * Complex.Conjugate(Phase(j, k1, k2));
                }
                energy += 2 * coefficient * (structure.Real * structure.Real + structure.Imaginary * structure.Imaginary);
                for (int i = 0; i < n; i++)
                {
                    // 2 Re(i e^{2πik·x_i} S) for the ± pair, times V̂_k 2πk.
                    double w = -2 * coefficient * 2 * Math.PI * (Phase(i, k1, k2) * structure).Imaginary;
                    accumulators[i * d] += w * k1;
                    if (d == 2)
                    {
                        accumulators[i * d + 1] += w * k2;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < d; a++)
            {
                velocity[a][i] = -state.Signs[i] * accumulators[i * d + a] / n;
            }
        }
        double total = withEnergy ? energy / (2.0 * n * n) : double.NaN;
        return ExternalField.Apply(Model, state, velocity, total);
    }
}
