using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Integrators;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Simulation;

/// <summary>Runs with the real reference evaluator (2D log, gaussian δ = 0.05, and edge under glide):
/// the invariants of docs/numerics.md §5 along whole runs.</summary>
public sealed class ReferenceRunTests(ITestOutputHelper output)
{
    public static TheoryData<string> Evaluators => ["reference", "smooth"];

    [Theory]
    [MemberData(nameof(Evaluators))]
    public void EnergyNeverIncreasesAlongADp45Run(string evaluator)
    {
        var model = TestSpecs.Model();
        var spec = TestSpecs.Spec(model, new UniformParticles(40, 0.5), TestSpecs.Time(end: 0.05, outputs: 21));
        var runner = Runner(spec, evaluator);
        var energies = SimulationRunnerTests.Collect(runner, out var result).Select(f => f.Observables.Energy).ToArray();
        output.WriteLine($"E(0) = {energies[0]:R}, E(end) = {energies[^1]:R}, steps {result.AcceptedSteps}+{result.RejectedSteps}");
        Assert.All(energies, e => Assert.True(double.IsFinite(e)));
        for (int i = 1; i < energies.Length; i++)
        {
            Assert.True(energies[i] <= energies[i - 1], $"E rose from {energies[i - 1]:R} to {energies[i]:R} at frame {i}");
        }
        Assert.True(energies[^1] < energies[0]);
    }

    [Theory]
    [MemberData(nameof(Evaluators))]
    public void EnergyDecaysAtTheDissipationRate(string evaluator)
    {
        // E(t + 2τ) − E(t) = −∫ (1/n)Σ|ẋ|² dt, the integral by Simpson's rule on t, t + τ, t + 2τ.
        var model = TestSpecs.Model();
        var spec = TestSpecs.Spec(model, new UniformParticles(40, 0.5));
        var runner = Runner(spec, evaluator);
        var state = runner.InitialState.Clone();
        var velocity = state.NewVectors();
        var integrator = new DormandPrince45(1e-11, 1e-13, model.Mobility);
        const double start = 0.01, tau = 1e-3;
        integrator.Advance(runner.Evaluator, state, 0, start);
        var energy = new double[3];
        var rate = new double[3];
        for (int k = 0; k < 3; k++)
        {
            if (k > 0)
            {
                integrator.Advance(runner.Evaluator, state, start + (k - 1) * tau, start + k * tau);
            }
            energy[k] = runner.Evaluator.Evaluate(state, velocity, withEnergy: true);
            rate[k] = StateMeasures.Dissipation(velocity);
        }
        double change = energy[2] - energy[0];
        double integral = tau / 3 * (rate[0] + 4 * rate[1] + rate[2]);
        double relative = Math.Abs(change + integral) / integral;
        output.WriteLine($"ΔE = {change:E6}, −∫(1/n)Σ|ẋ|² = {-integral:E6}, relative difference {relative:E2}");
        Assert.True(relative < 1e-5, $"relative difference {relative}");
    }

    [Theory]
    [MemberData(nameof(Evaluators))]
    public void CentroidIsConservedWithoutExternalPotential(string evaluator)
    {
        var model = TestSpecs.Model();
        var spec = TestSpecs.Spec(model, new UniformParticles(50, 0.4), TestSpecs.Time(end: 0.1, outputs: 11));
        var frames = SimulationRunnerTests.Collect(Runner(spec, evaluator), out _);
        double[] initial = frames[0].Observables.Centroid;
        double drift = frames.Max(f => Math.Max(Math.Abs(f.Observables.Centroid[0] - initial[0]), Math.Abs(f.Observables.Centroid[1] - initial[1])));
        double moved = TestSpecs.MaxDifference(frames[0].State, frames[^1].State);
        output.WriteLine($"centroid drift {drift:E2} while particles moved up to {moved:E2}");
        Assert.True(moved > 1e-3);
        Assert.True(drift < 1e-12, $"centroid drift {drift}");
    }

    [Theory]
    [InlineData(RegularizationType.Gaussian, IntegratorType.Dp45)]
    [InlineData(RegularizationType.Gaussian, IntegratorType.Euler)]
    [InlineData(RegularizationType.None, IntegratorType.Dp45)]
    public void GlideKeepsSlipPlanesBitIdentical(RegularizationType regularization, IntegratorType integrator)
    {
        // Edge dislocations under glide; with regularization none as short dipoles on distinct slip planes (Thm 4.6).
        var model = TestSpecs.Model(kernel: KernelType.Edge, mobility: MobilityType.Glide, regularization: regularization, delta: 0.01);
        ParticleSource particles = regularization == RegularizationType.None
            ? new DipoleParticles(20, [0.004, 0.003], true, null)
            : new UniformParticles(40, 0.5);
        var time = TestSpecs.Time(end: 0.002, outputs: 5, integrator: integrator, step: 1e-5);
        var runner = new SimulationRunner(TestSpecs.Spec(model, particles, time));
        var frames = SimulationRunnerTests.Collect(runner, out _);
        double[] planes = runner.InitialState.Positions[1];
        Assert.All(frames, f => Assert.Equal(planes, f.State.Positions[1]));
        Assert.True(TestSpecs.MaxDifference(frames[0].State, frames[^1].State) > 0);
    }

    [Fact]
    public void CollisionUnderRegularizationNoneNamesBothParticlesAndTheTime()
    {
        var model = TestSpecs.Model(regularization: RegularizationType.None);
        var particles = new ExplicitParticles([[0.6, 0.2], [0.3, 0.4], [0.3 + 1e-15, 0.4]], [1, 1, -1]);
        var runner = new SimulationRunner(TestSpecs.Spec(model, particles));
        var error = Assert.Throws<SimulationException>(() => runner.Run(_ => { }));
        output.WriteLine(error.Message);
        Assert.Contains("particles 1 and 2", error.Message);
        Assert.Contains("t = 0", error.Message);
        Assert.Equal(0.0, error.Time);
        Assert.IsType<CollisionException>(error.InnerException);
    }

    [Fact]
    public void CollapsingUnregularisedPairStopsWithAnErrorInsteadOfStalling()
    {
        // Opposite signs 1e-9 apart attract at ~1/r and meet within ~1e-18 time units: the run must end at once
        // with an error that names the time, not crawl with steps of 1e-19.
        var model = TestSpecs.Model(regularization: RegularizationType.None);
        var particles = new ExplicitParticles([[0.3, 0.3], [0.3, 0.300000001], [0.7, 0.7]], [1, -1, 1]);
        var runner = new SimulationRunner(TestSpecs.Spec(model, particles));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = Assert.Throws<SimulationException>(() => runner.Run(_ => { }, timeout.Token));
        output.WriteLine(error.Message);
        Assert.Contains("t = ", error.Message);
    }

    private static SimulationRunner Runner(SimulationSpec spec, string evaluator) => evaluator == "smooth"
        ? new SimulationRunner(spec, new SmoothPairEvaluator(spec.System))
        : new SimulationRunner(spec);
}
