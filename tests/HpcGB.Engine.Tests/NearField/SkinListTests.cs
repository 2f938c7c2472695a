using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>
/// The pair lists kept under a skin within a step attempt (<see cref="NearFieldEvaluator.BeginAttempt"/>): forces
/// from a kept list are those of a fresh one to rounding (the lists sum in another order), a particle moved past
/// half the skin makes a new list, and a resumed implicit run is bit-identical to a straight one.
/// </summary>
public class SkinListTests
{
    /// <summary>
    /// Relative to Σ_j |∇s_ij|: the near field's own 1e-13, but where the kept list holds two close particles on one
    /// side of the torus' edge, the fresh one rounds their difference across it (ulp(1) absolute: 1.2e-13 of the
    /// clustered configuration's forces).
    /// </summary>
    private const double Tolerance = 1e-12;

    public static TheoryData<ShortRangeKind, SimdPath> KindsAndPaths() => NearFieldSystems.KindsAndPaths(2);

    public static TheoryData<SimdPath> Paths() => [.. NearFieldSystems.ForcedPaths];

    /// <summary>
    /// Every particle moved by up to 0.45 skin (dipoles as a whole, some across the torus' edge): the kept list
    /// (no new build) gives the forces and energy of a fresh evaluator at the new positions, to rounding (the sums
    /// run in another order).
    /// </summary>
    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void KeptListsGiveTheForcesOfFreshOnes(ShortRangeKind kind, SimdPath path)
    {
        int crossed = 0;
        foreach (double cutoff in new[] { 0.3, 0.05 })
        {
            double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e10));
            Configuration[] configurations =
            [
                NearFieldSystems.Uniform(2, 700, 31),
                NearFieldSystems.Clustered(2, 300, 32),
                NearFieldSystems.Dipoles(2, 150, 3e-6, 33),
            ];
            foreach (var c in configurations)
            {
                double delta = c.Name.StartsWith("dipoles", StringComparison.Ordinal) ? 1e-6 : 0.2 * sigma;
                var kept = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, path);
                using (kept.BeginAttempt())
                {
                    NearFieldSystems.Evaluate(kept, c);
                    var moved = Moved(c, 0.45 * kept.Skin, 34);
                    var (g1, g2, energy) = NearFieldSystems.Evaluate(kept, moved);
                    Assert.Equal(1, kept.ListBuilds);

                    // A particle that crossed the torus' edge since the build is taken a period away (x ± 1, rounded
                    // to ulp(1)): the fresh evaluator gets those same positions.
                    var held = moved with
                    {
                        X1 = [.. moved.X1.Select((x, i) => x - Math.Round(x - c.X1[i]))],
                        X2 = [.. moved.X2.Select((x, i) => x - Math.Round(x - c.X2[i]))],
                    };
                    crossed += held.X1.Concat(held.X2).Count(x => x >= 1 || x < 0);
                    var fresh = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, path);
                    var (f1, f2, freshEnergy) = NearFieldSystems.Evaluate(fresh, held);
                    var reference = NearFieldSystems.BruteForce(NearFieldSystems.Operator(kind, sigma, delta, cutoff), moved);
                    reference = new Reference(f1, f2, reference.Scale) { Energy = freshEnergy, EnergyScale = reference.EnergyScale };
                    var (force, energyError) = NearFieldSystems.Errors(reference, g1, g2, energy);
                    Assert.True(force < Tolerance && energyError < Tolerance,
                        $"{kind} {path} {c} r_c = {cutoff}: force {force:E2}, energy {energyError:E2}");
                }
            }
        }
        Assert.True(crossed > 0);
    }

    /// <summary>
    /// Two groups of 8, one cluster each, farther apart than r_c plus the skin (so they are not listed together);
    /// one particle moved by 1.2 skin to within r_c of the other group must make a new list, or the pair is missed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void AParticleMovedPastHalfTheSkinMakesANewList(SimdPath path)
    {
        // σ = r_c/2: the pair just within r_c is not negligible against the group's own pairs.
        const double cutoff = 0.1, sigma = 0.05;
        var evaluator = NearFieldSystems.Create(2, ShortRangeKind.GaussianLog, sigma, 0.2 * sigma, cutoff, path);
        double skin = evaluator.Skin;
        var c = NearFieldSystems.Uniform(2, 16, 35);
        for (int i = 0; i < 16; i++)
        {
            c.X1[i] = 0.5 + 0.01 * (i % 8);
            c.X2[i] = (i < 8 ? 0.3 : 0.3 + cutoff + 1.1 * skin) + 1e-9 * (i % 8);
        }
        using (evaluator.BeginAttempt())
        {
            NearFieldSystems.Evaluate(evaluator, c);
            c.X2[8] -= 1.2 * skin;
            var (g1, g2, _) = NearFieldSystems.Evaluate(evaluator, c);
            Assert.Equal(2, evaluator.ListBuilds);

            var fresh = NearFieldSystems.Create(2, ShortRangeKind.GaussianLog, sigma, 0.2 * sigma, cutoff, path);
            var (f1, f2, _) = NearFieldSystems.Evaluate(fresh, c);
            var reference = NearFieldSystems.BruteForce(NearFieldSystems.Operator(ShortRangeKind.GaussianLog, sigma, 0.2 * sigma, cutoff), c);
            var (force, _) = NearFieldSystems.Errors(new Reference(f1, f2, reference.Scale), g1, g2, 0.0);
            Assert.True(force < Tolerance, $"{path}: force {force:E2}");
        }
    }

    /// <summary>
    /// The implicit integrator with the PME evaluator keeps the lists within each attempt (fewer builds than
    /// evaluations), and a run restored from a checkpoint between steps, into a fresh evaluator, takes the straight
    /// run's steps bit for bit.
    /// </summary>
    [Fact]
    public void ARestoredImplicitRunIsBitIdenticalToAStraightOne()
    {
        double[] targets = [0.05, 0.1, 0.15];
        var model = TestSpecs.Model(delta: 1e-3);
        var initial = TestSpecs.Uniform(model, 600);
        var parameters = EwaldParameterChooser.Choose(model, initial.Count, 1e-8);
        Assert.False(parameters.MeshOnly);
        EwaldEvaluator Evaluator() => new(model, parameters, SimdPath.Auto, threads: 2);
        ImplicitIntegrator Integrator() => new(1e-6, 1e-9, model);
        void Advance(ImplicitIntegrator integrator, IForceEvaluator evaluator, ParticleState state, int from, int to)
        {
            for (int k = from; k < to; k++)
            {
                integrator.Advance(evaluator, state, k == 0 ? 0 : targets[k - 1], targets[k]);
            }
        }

        using var straightEvaluator = Evaluator();
        var straight = initial.Clone();
        var straightIntegrator = Integrator();
        Advance(straightIntegrator, straightEvaluator, straight, 0, targets.Length);
        Assert.InRange(straightEvaluator.NearField!.ListBuilds, 1, straightIntegrator.ForceEvaluations - 1);

        using var firstEvaluator = Evaluator();
        var first = initial.Clone();
        var firstIntegrator = Integrator();
        Advance(firstIntegrator, firstEvaluator, first, 0, 1);
        var checkpoint = firstIntegrator.Capture();
        using var resumedEvaluator = Evaluator();
        var resumed = first.Clone();
        var restored = Integrator();
        restored.Restore(resumed, checkpoint);
        Advance(restored, resumedEvaluator, resumed, 1, targets.Length);

        for (int a = 0; a < straight.Dimension; a++)
        {
            Assert.Equal(straight.Positions[a].Select(BitConverter.DoubleToInt64Bits), resumed.Positions[a].Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Equal(straightIntegrator.AcceptedSteps, restored.AcceptedSteps);
    }

    /// <summary>The configuration with every particle (every pair of consecutive ones together) moved by up to <paramref name="distance"/>.</summary>
    private static Configuration Moved(Configuration c, double distance, int seed)
    {
        var random = new Random(seed);
        var moved = c with { X1 = (double[])c.X1.Clone(), X2 = (double[])c.X2.Clone() };
        for (int i = 0; i < c.Count; i += 2)
        {
            double r = distance * random.NextDouble(), theta = 2 * Math.PI * random.NextDouble();
            for (int k = i; k < Math.Min(i + 2, c.Count); k++)
            {
                moved.X1[k] = Wrap(c.X1[k] + r * Math.Cos(theta));
                moved.X2[k] = Wrap(c.X2[k] + r * Math.Sin(theta));
            }
        }
        return moved;
    }

    private static double Wrap(double x) => x - Math.Floor(x) is var w && w < 1 ? w : 0.0;
}
