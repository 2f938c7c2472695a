using System.Globalization;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Service;

/// <summary>
/// What a spec will cost before anything is built from it: the memory of a run or a <c>forces</c> evaluation
/// (bytes, for the <see cref="MemoryBudget"/>) and the work of one force evaluation (in pair interactions of the
/// 2D log kernel, for <see cref="ServiceOptions.MaxEvaluationWork"/>). Upper estimates, measured on this machine
/// (docs/protocol.md, "Admission"); they follow the evaluator <see cref="Engine.Forces.ForceEvaluatorFactory"/> would choose.
/// </summary>
internal static class AdmissionCost
{
    /// <summary>Fixed cost of any run (objects, buffers, the snapshot machinery).</summary>
    private const long RunBase = 256 << 10;

    /// <summary>Fourier-sum work per (particle, wave vector) relative to one 2D log pair interaction: a complex
    /// multiply-add against an exponential integral (measured: 1.4·10^9 of them cost what 3.5·10^7 pairs do).</summary>
    private const double FourierWeight = 0.05;

    /// <summary>The wall sums of the 1D Gaussian log kernel cost about ten 2D pair interactions each.</summary>
    private const double Gaussian1DWeight = 10;

    /// <summary>Particles a source produces (dipoles count twice).</summary>
    public static long Particles(ParticleSource source) => source switch
    {
        ExplicitParticles p => p.Signs.Length,
        UniformParticles p => p.Count,
        DensityParticles p => p.Count,
        DipoleParticles p => 2L * p.Count,
        _ => 0,
    };

    /// <summary>
    /// Bytes a run holds over its life: positions, velocities, snapshots and the integrator's vectors
    /// (doubles per particle and axis: Euler 48, Dormand–Prince 56, implicit 96, measured peak resident size at
    /// n = 2·10^5 with margin) plus the evaluator's own (<see cref="Evaluator"/>).
    /// </summary>
    public static long Run(SimulationSpec spec, long n)
    {
        int vectors = spec.Time.Integrator switch
        {
            IntegratorType.Euler => 48,
            IntegratorType.Implicit or IntegratorType.Auto => 96,
            _ => 56,
        };
        return RunBase + n * (vectors * spec.Dimension * sizeof(double) + 64) + Evaluator(spec, n);
    }

    /// <summary>Bytes of one <c>forces</c> call: the state, the velocities, the reply and the evaluator.</summary>
    public static long Forces(SimulationSpec spec, long n) => RunBase + n * (8 * spec.Dimension * sizeof(double) + 16) + Evaluator(spec, n);

    /// <summary>Bytes of a reply or notification carrying n×d positions (and n signs).</summary>
    public static long State(long n, int dimension) => 1024 + n * (dimension * sizeof(double) + 1);

    /// <summary>The evaluator's memory beyond the particles: PME meshes, or the phase tables of the Fourier sums.</summary>
    public static long Evaluator(SimulationSpec spec, long n) => Choose(spec, n) switch
    {
        Choice.Pme pme => (long)Math.Min(long.MaxValue / 4, Math.Pow(pme.Parameters.Mesh, spec.Dimension) * 40),
        Choice.Fourier fourier => (long)Math.Min(long.MaxValue / 4, n * (fourier.Cutoff + 1) * spec.Dimension * 16.0),
        _ => 0,
    };

    /// <summary>Pair interactions (of the 2D log kernel) one force evaluation costs, with a phrase saying why.</summary>
    public static (double Work, string Why) Work(SimulationSpec spec, long n)
    {
        var system = spec.System;
        switch (Choose(spec, n))
        {
            case Choice.Fourier fourier:
                double modes = Math.PI / 2 * fourier.Cutoff * fourier.Cutoff;
                return (FourierWeight * modes * n,
                    Invariant($"2D poisson reference by Fourier sums: {modes:0.#e0} wave vectors at δ = {system.Delta:R} for each of {n} particles"));
            case Choice.Reference:
                double weight = system.Dimension == 1 && system.Regularization.Type == RegularizationType.Gaussian ? Gaussian1DWeight : 1;
                return (weight * n * (double)n, Invariant($"reference pair sums over {n} particles"));
            default:
                return (0, "");
        }
    }

    /// <summary>Refuses (<see cref="SpecException"/> at <c>$.forces</c>) a spec whose single force evaluation
    /// costs more than <paramref name="maxWork"/> pair interactions.</summary>
    public static void CheckWork(SimulationSpec spec, long n, double maxWork, string limitName)
    {
        var (work, why) = Work(spec, n);
        if (work > maxWork)
        {
            throw new SpecException("$.forces", Invariant(
                $"one force evaluation would cost about {work:0.#e0} pair interactions ({why}), beyond {limitName} {maxWork:0.#e0}; use a larger δ, fewer particles or forces.method \"pme\""));
        }
    }

    /// <summary>The evaluator the factory would build, from the parameters alone (nothing allocated).</summary>
    private static Choice Choose(SimulationSpec spec, long n)
    {
        var system = spec.System;
        var forces = spec.Forces;
        int count = (int)Math.Min(n, int.MaxValue);
        EwaldParameters? pme = null;
        if (forces.Method != ForceMethod.Reference)
        {
            try
            {
                var chosen = EwaldParameterChooser.Choose(system, count, forces.Tolerance);
                _ = chosen.MeshOnly ? EwaldSplit.MeshOnly(system) : EwaldSplit.Create(system, chosen.Sigma);
                pme = chosen;
            }
            catch (NotSupportedException)
            {
                // The fast path cannot be used: auto falls back to the reference, pme fails when built.
            }
        }
        bool usePme = forces.Method == ForceMethod.Pme || (forces.Method == ForceMethod.Auto && n >= ForcesSpec.AutoCrossover && pme is not null);
        if (usePme)
        {
            return pme is null ? new Choice.Reference() : new Choice.Pme(pme);
        }
        if (system.Dimension == 2 && system.Regularization.Type == RegularizationType.Poisson)
        {
            // The cutoff grows like 1/δ; below 1e-8 it would not fit an int (and no machine could sum it).
            double cutoff = system.Delta >= 1e-8 ? FourierCoefficients.Cutoff(system.Regularization) : double.PositiveInfinity;
            return new Choice.Fourier(cutoff);
        }
        return new Choice.Reference();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private abstract record Choice
    {
        public sealed record Reference : Choice;

        public sealed record Pme(EwaldParameters Parameters) : Choice;

        public sealed record Fourier(double Cutoff) : Choice;
    }
}
