using System.Diagnostics;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>The systems the force benchmarks run on: n uniform particles, half of each sign, 2D, gaussian δ.</summary>
internal static class EvaluationSetup
{
    public const double Delta = 1e-4;

    public static SystemModel Model(KernelType kernel, double delta = Delta) => new(2, kernel, MobilityType.Isotropic,
        new Regularization(RegularizationType.Gaussian, delta), ExternalPotential.None(2));

    /// <summary>
    /// The issue-18 workloads' model: edge under glide (the peer code's), log isotropic; unregularised unless
    /// <paramref name="regularization"/> is given.
    /// </summary>
    public static SystemModel Workload(KernelType kernel, Regularization? regularization = null) => new(2, kernel,
        kernel == KernelType.Edge ? MobilityType.Glide : MobilityType.Isotropic,
        regularization ?? new Regularization(RegularizationType.None, 1e-6), ExternalPotential.None(2));

    public static ParticleState Uniform(int n, int seed = 1)
    {
        var random = new Random(seed);
        var signs = Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        var state = ParticleState.Zeros(2, signs);
        for (int i = 0; i < n; i++)
        {
            state.Positions[0][i] = random.NextDouble();
            state.Positions[1][i] = random.NextDouble();
        }
        return state;
    }

    /// <summary>Velocities from the fast path at tolerance 1e-10: the reference where the exact sum is out of reach.</summary>
    public static double[][] TightReference(SystemModel model, ParticleState state)
    {
        var reference = state.NewVectors();
        using var tight = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-10), state.Count);
        tight.Evaluate(state, reference, withEnergy: false);
        return reference;
    }

    /// <summary>‖v − reference‖ / ‖reference‖ over all components, and max |v − reference| over the RMS velocity.</summary>
    public static (double Rms, double MaxOverRmsVelocity) RelativeError(double[][] velocity, double[][] reference)
    {
        double err = 0, norm = 0, max = 0;
        for (int a = 0; a < velocity.Length; a++)
        {
            for (int i = 0; i < velocity[a].Length; i++)
            {
                double d = velocity[a][i] - reference[a][i];
                err += d * d;
                norm += reference[a][i] * reference[a][i];
                max = Math.Max(max, Math.Abs(d));
            }
        }
        return (Math.Sqrt(err / norm), max / Math.Sqrt(norm / (velocity.Length * velocity[0].Length)));
    }

    /// <summary>
    /// Calls <paramref name="evaluate"/> at least <paramref name="minimum"/> times and for at least a second: the JIT
    /// recompiles hot methods at full optimisation only after 30 calls and a quiet 100 ms, so a few warm-ups time
    /// first-tier code (at n = 4096 that doubled the spreading time).
    /// </summary>
    public static void WarmUp(Action evaluate, int minimum)
    {
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < minimum || clock.Elapsed.TotalSeconds < 1; k++)
        {
            evaluate();
        }
    }

    public static EwaldEvaluator Pme(KernelType kernel, int n, double tolerance, SimdPath simd = SimdPath.Auto, double delta = Delta) =>
        (EwaldEvaluator)ForceEvaluatorFactory.Create(Model(kernel, delta), new ForcesSpec(ForceMethod.Pme, tolerance, simd), n);
}
