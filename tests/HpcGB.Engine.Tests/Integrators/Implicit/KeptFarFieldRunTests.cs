using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>
/// The implicit integrator's Newton trials on the far field kept within an attempt (<see cref="IForceEvaluator.EvaluateKeepingFarField"/>):
/// every accepted solution's ẋ is a full evaluation's at that point, and a small free log gas ends within its
/// tolerance of the run that evaluates every trial fully.
/// </summary>
public sealed class KeptFarFieldRunTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-6, Atol = 1e-9, End = 2e-3;

    /// <summary>The free log gas (docs/examples/implicit-free-log-10000-tight.json) at n = 600: δ = 10⁻⁶, a weak shear.</summary>
    private static readonly SystemModel Gas = TestSpecs.Model(
        delta: 1e-6, external: new ExternalPotential([new FourierMode([1, 0], 0.1, 0.0)], [0.0, 0.0]));

    /// <summary>
    /// Checked at the end of each of 40 segments (the ẋ a checkpoint there carries, <see cref="ImplicitIntegrator.Capture"/>):
    /// a segment ends on an accepted solution, so each is one.
    /// </summary>
    [Fact]
    public void EveryAcceptedSolutionsVelocityIsAFullEvaluationsThere()
    {
        const int segments = 40;
        var initial = TestSpecs.Uniform(Gas, 600);
        using var ewald = new EwaldEvaluator(Gas, EwaldParameterChooser.Choose(Gas, initial.Count, 1e-8), SimdPath.Auto, threads: 2);
        var recorded = new Recording(ewald);
        var integrator = new ImplicitIntegrator(Rtol, Atol, Gas);
        var state = initial.Clone();
        for (int k = 0; k < segments; k++)
        {
            integrator.Advance(recorded, state, k * End / segments, (k + 1) * End / segments);
            var velocity = integrator.Capture().Velocity!;
            Assert.Contains(recorded.Full, full => Same(full.Positions, state.Positions) && Same(full.Velocity, velocity));
        }
        output.WriteLine($"{integrator.AcceptedSteps} steps, {integrator.ForceEvaluations} evaluations, far field kept in {recorded.Kept}: {integrator.Tally}");
        Assert.InRange(recorded.Kept, 1, integrator.ForceEvaluations - integrator.AcceptedSteps);
        Assert.Equal(recorded.Kept, integrator.Tally!.FarFieldKept);
    }

    /// <summary>
    /// Each run's final positions are within the sum of its steps' local tolerances of the exact flow (the flow is
    /// not contracting here: 2× as in <c>NonStiffRunAgreesWithDormandPrince</c>), so the two within twice that.
    /// </summary>
    [Fact]
    public void AGasRunEndsWithinItsToleranceOfTheRunWithoutKeeping()
    {
        var initial = TestSpecs.Uniform(Gas, 600);
        var parameters = EwaldParameterChooser.Choose(Gas, initial.Count, 1e-8);
        var finals = new List<ParticleState>();
        var steps = new List<long>();
        foreach (bool keep in new[] { true, false })
        {
            using var ewald = new EwaldEvaluator(Gas, parameters, SimdPath.Auto, threads: 2);
            var integrator = new ImplicitIntegrator(Rtol, Atol, Gas);
            var state = initial.Clone();
            integrator.Advance(keep ? ewald : new FullOnly(ewald), state, 0, End);
            output.WriteLine($"keep {keep}: {integrator.AcceptedSteps} steps, {integrator.ForceEvaluations} evaluations: {integrator.Tally}");
            Assert.Equal(keep, integrator.Tally!.FarFieldKept > 0);
            finals.Add(state);
            steps.Add(integrator.AcceptedSteps);
        }
        double difference = TestSpecs.MaxDifference(finals[0], finals[1]);
        double bound = 2 * 2 * Math.Max(steps[0], steps[1]) * (Rtol + Atol);
        output.WriteLine($"max |Δx| {difference:E2} (bound {bound:E2})");
        Assert.True(difference <= bound, $"max |Δx| {difference:E2} > {bound:E2}");
    }

    private static bool Same(double[][] a, double[][] b) => a.Zip(b).All(axes => axes.First.AsSpan().SequenceEqual(axes.Second));

    /// <summary>Forwards to the PME evaluator and keeps every full evaluation (positions and ẋ).</summary>
    private sealed class Recording(EwaldEvaluator inner) : IForceEvaluator
    {
        public List<(double[][] Positions, double[][] Velocity)> Full { get; } = [];

        public long Kept { get; private set; }

        public string Name => inner.Name;

        public SystemModel Model => inner.Model;

        public IHelperThreads? HelperThreads => inner.HelperThreads;

        public IDisposable? BeginAttempt() => inner.BeginAttempt();

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
        {
            double energy = inner.Evaluate(state, velocity, withEnergy);
            Full.Add((Copy(state.Positions), Copy(velocity)));
            return energy;
        }

        public bool EvaluateKeepingFarField(ParticleState state, double[][] velocity)
        {
            bool kept = inner.EvaluateKeepingFarField(state, velocity);
            if (kept)
            {
                Kept++;
            }
            else
            {
                Full.Add((Copy(state.Positions), Copy(velocity)));
            }
            return kept;
        }

        private static double[][] Copy(double[][] v) => v.Select(axis => (double[])axis.Clone()).ToArray();
    }

    /// <summary>The PME evaluator with every evaluation full (the interface's default keeps nothing).</summary>
    private sealed class FullOnly(EwaldEvaluator inner) : IForceEvaluator
    {
        public string Name => inner.Name;

        public SystemModel Model => inner.Model;

        public IHelperThreads? HelperThreads => inner.HelperThreads;

        public IDisposable? BeginAttempt() => inner.BeginAttempt();

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) => inner.Evaluate(state, velocity, withEnergy);
    }
}
