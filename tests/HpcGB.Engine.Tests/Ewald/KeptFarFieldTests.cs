using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The far field kept within an attempt (<see cref="EwaldEvaluator.EvaluateKeepingFarField"/>): the mesh's gradients
/// of the attempt's newest full evaluation plus the near field afresh, exactly; near a full evaluation at the same
/// positions; nothing kept outside an attempt. Uniform, clustered and close-dipole particles, one row per SIMD path
/// and thread split.
/// </summary>
public class KeptFarFieldTests(ITestOutputHelper output)
{
    /// <summary>A Newton correction's size: each particle (each dipole as a whole) moves by this.</summary>
    private const double Move = 1e-5;

    /// <summary>
    /// |Δẋ_i| ≤ <see cref="HessianBound"/>·2|Δx|/σ² for the kept mesh: the mesh's part of ẋ_i is a mean over j of the
    /// smooth V_long's gradient at x_ij, whose Hessian is ≲ 1/σ² (the Gaussian-smoothed log kernel: ½/σ² at 0),
    /// and x_ij moved by at most 2|Δx|. The rows measured at most 0.004 of it (the mean over j is far below the sup).
    /// </summary>
    private const double HessianBound = 1;

    public static TheoryData<SimdPath, int, bool, string> Rows()
    {
        var data = new TheoryData<SimdPath, int, bool, string>();
        foreach (var path in ForceBackends.SupportedSimdPaths())
        {
            foreach (var (threads, overlap) in new[] { (1, false), (2, false), (2, true) })
            {
                foreach (string configuration in new[] { "uniform", "clustered", "dipoles-1e-6" })
                {
                    data.Add(path, threads, overlap, configuration);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void TheKeptFarFieldIsTheFullMeshPlusTheNewNearField(SimdPath path, int threads, bool overlap, string configuration)
    {
        var model = FastPathCases.Model(2, KernelType.Log, RegularizationType.Gaussian, configuration);
        var state = FastPathCases.Build(2, configuration, model.Delta);
        var parameters = EwaldParameterChooser.Choose(model, state.Count, 1e-8);
        Assert.False(parameters.MeshOnly);
        var moved = Moved(state);
        using var fast = new EwaldEvaluator(model, parameters, path, threads, overlap);
        var full = state.NewVectors();
        var same = state.NewVectors();
        var kept = state.NewVectors();
        using (fast.BeginAttempt())
        {
            fast.Evaluate(state, full, withEnergy: false);
            Assert.True(fast.EvaluateKeepingFarField(state, same));
            Assert.True(fast.EvaluateKeepingFarField(moved, kept));
        }
        Assert.Equal(full[0], same[0]);
        Assert.Equal(full[1], same[1]);

        // The parts on an evaluator of the same settings: the mesh at the full evaluation's positions, the near field
        // at the moved ones with its lists built at the first (as the attempt kept them).
        using var parts = new EwaldEvaluator(model, parameters, path, threads, overlap);
        int n = state.Count;
        var (g, h) = (state.NewVectors(), state.NewVectors());
        using (parts.BeginAttempt())
        {
            parts.NearField!.Compute(Wrapped(state, 0), Wrapped(state, 1), state.Signs, h[0], h[1], withEnergy: false);
            parts.NearField.Compute(Wrapped(moved, 0), Wrapped(moved, 1), state.Signs, h[0], h[1], withEnergy: false);
        }
        parts.Mesh.Compute(Wrapped(state, 0), Wrapped(state, 1), state.Signs, g[0], g[1], withEnergy: false);
        for (int a = 0; a < 2; a++)
        {
            Assert.Equal(Enumerable.Range(0, n).Select(i => -(g[a][i] + h[a][i]) / n), kept[a]);
        }

        // Within the mesh's change over the move of the full evaluation there.
        var exact = state.NewVectors();
        fast.Evaluate(moved, exact, withEnergy: false);
        double bound = HessianBound * 2 * Move / (parameters.Sigma * parameters.Sigma);
        double worst = Enumerable.Range(0, n).Max(i => Math.Sqrt(Sq(kept[0][i] - exact[0][i]) + Sq(kept[1][i] - exact[1][i])));
        output.WriteLine($"σ = {parameters.Sigma:G3}: max |Δẋ| {worst:E2} = {worst / bound:F3} of the bound");
        Assert.True(worst <= bound, $"max |Δẋ| {worst:E2} > {bound:E2}");
        Assert.True(worst > 0, "the kept mesh is the old one");
    }

    /// <summary>Outside an attempt, after it, and in a new one before its first full evaluation, the mesh is computed.</summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void NothingIsKeptOutsideAnAttempt(int threads, bool overlap)
    {
        var model = FastPathCases.Model(2, KernelType.Log, RegularizationType.Gaussian, "uniform");
        var state = FastPathCases.Build(2, "uniform", model.Delta);
        var parameters = EwaldParameterChooser.Choose(model, state.Count, 1e-8);
        var moved = Moved(state);
        using var fast = new EwaldEvaluator(model, parameters, SimdPath.Auto, threads, overlap);
        var exact = state.NewVectors();
        var velocity = state.NewVectors();
        fast.Evaluate(moved, exact, withEnergy: false);

        fast.Evaluate(state, velocity, withEnergy: false);
        Assert.False(fast.EvaluateKeepingFarField(moved, velocity), "outside an attempt");
        AssertEqual(exact, velocity);

        using (fast.BeginAttempt())
        {
            fast.Evaluate(state, velocity, withEnergy: false);
        }
        Assert.False(fast.EvaluateKeepingFarField(moved, velocity), "after the attempt");
        AssertEqual(exact, velocity);

        using (fast.BeginAttempt())
        {
            Assert.False(fast.EvaluateKeepingFarField(moved, velocity), "before the attempt's first full evaluation");
            Assert.True(fast.EvaluateKeepingFarField(moved, exact), "after it");
        }
        // Both as a full evaluation in an attempt (its near-field lists built at these positions).
        AssertEqual(exact, velocity);
        using (fast.BeginAttempt())
        {
            fast.Evaluate(moved, exact, withEnergy: false);
        }
        AssertEqual(exact, velocity);
    }

    /// <summary>Each particle moved by <see cref="Move"/> in a seeded direction, the two of a dipole (2k, 2k + 1) alike.</summary>
    internal static ParticleState Moved(ParticleState state)
    {
        var random = new Random(5);
        var moved = state.Clone();
        for (int i = 0; i + 1 < state.Count; i += 2)
        {
            double angle = 2 * Math.PI * random.NextDouble();
            for (int k = i; k < i + 2; k++)
            {
                moved.Positions[0][k] += Move * Math.Cos(angle);
                moved.Positions[1][k] += Move * Math.Sin(angle);
            }
        }
        return moved;
    }

    private static double[] Wrapped(ParticleState state, int axis) => state.Positions[axis].Select(Torus.Wrap).ToArray();

    private static double Sq(double x) => x * x;

    private static void AssertEqual(double[][] expected, double[][] actual)
    {
        for (int a = 0; a < expected.Length; a++)
        {
            Assert.Equal(expected[a], actual[a]);
        }
    }
}
