using HpcGB.Engine.Cases;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Ewald;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// The distributed fast path against the serial one (<see cref="EwaldEvaluator"/>) on the same particles, with the
/// same parameters: for every kernel with a fast path, every fast-path accuracy configuration and K = 1 … 4 ranks,
/// every velocity agrees to 1e-12 (relative to the larger of its size and the RMS velocity) and the energy to 1e-12:
/// the decomposition changes only the order of the sums.
/// </summary>
public class DistributedEvaluatorTests(ITestOutputHelper output)
{
    /// <summary>Enough particles for four slabs of at least r_c.</summary>
    private const int Particles = 1200;

    private const double Tolerance = 1e-12;

    public static TheoryData<int, KernelType, RegularizationType, string, int> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, string, int>();
        foreach (var (d, kernel, type) in KernelCases.All.Where(c => c.FastPath.Supported).Select(c => (c.Dimension, c.Kernel, c.Regularization)))
        {
            foreach (string configuration in FastPathCases.Configurations(d))
            {
                foreach (int ranks in new[] { 1, 2, 3, 4 })
                {
                    data.Add(d, kernel, type, configuration, ranks);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Velocities_and_energy_equal_the_serial_evaluation(int d, KernelType kernel, RegularizationType type, string configuration, int ranks)
    {
        var model = FastPathCases.Model(d, kernel, type, configuration);
        var state = FastPathCases.Build(d, configuration, model.Delta, Particles);
        var parameters = EwaldParameterChooser.Choose(model, Particles, 1e-6);
        using var serial = new EwaldEvaluator(model, parameters, SimdPath.Auto, threads: 1);
        var expected = state.NewVectors();
        double energy = serial.Evaluate(state, expected, withEnergy: true);

        var (velocity, energies, evaluators) = DistributedEvaluation.Run(model, parameters, state, ranks);

        double rms = Math.Sqrt(Enumerable.Range(0, state.Count).Sum(i => Norm2(expected, i)) / state.Count);
        double worst = 0;
        for (int i = 0; i < state.Count; i++)
        {
            double difference = Math.Sqrt(Enumerable.Range(0, d).Sum(a => Sq(velocity[a][i] - expected[a][i])));
            worst = Math.Max(worst, difference / Math.Max(Math.Sqrt(Norm2(expected, i)), rms));
        }
        var counts = evaluators.Select(e => e.LastCounts).ToArray();
        output.WriteLine($"{parameters}; {evaluators[0].Layout}; evaluated {string.Join(" ", counts.Select(c => c.Evaluated))}, " +
            $"halo {string.Join(" ", counts.Select(c => c.Halo))}; worst relative velocity difference {worst:E2}, energy {energies[0]:R} vs {energy:R}");
        Assert.True(worst <= Tolerance, $"velocity differs by {worst:E2} (relative)");
        Assert.All(energies, e => Assert.Equal(energies[0], e));
        Assert.True(Math.Abs(energies[0] - energy) <= Tolerance * Math.Max(Math.Abs(energy), 1), $"energy {energies[0]:R} vs serial {energy:R}");
        Assert.Equal(Particles, counts.Sum(c => c.Evaluated));
    }

    [Theory]
    [InlineData(SimdPath.Scalar)]
    [InlineData(SimdPath.Avx2)]
    public void Every_simd_path_agrees(SimdPath simd)
    {
        if (!SimdPaths.IsSupported(simd))
        {
            return;
        }
        var model = FastPathCases.Model(2, KernelType.Log, RegularizationType.Gaussian, "uniform");
        var state = FastPathCases.Build(2, "uniform", model.Delta, Particles);
        var parameters = EwaldParameterChooser.Choose(model, Particles, 1e-8);
        using var serial = new EwaldEvaluator(model, parameters, simd, threads: 1);
        var expected = state.NewVectors();
        serial.Evaluate(state, expected, withEnergy: false);
        var (velocity, _, _) = DistributedEvaluation.Run(model, parameters, state, 3, simd);
        double rms = Math.Sqrt(Enumerable.Range(0, state.Count).Sum(i => Norm2(expected, i)) / state.Count);
        for (int i = 0; i < state.Count; i++)
        {
            Assert.True(Math.Abs(velocity[0][i] - expected[0][i]) <= Tolerance * rms && Math.Abs(velocity[1][i] - expected[1][i]) <= Tolerance * rms);
        }
    }

    [Fact]
    public void More_ranks_than_slabs_of_the_cut_off_are_refused_naming_the_limit()
    {
        var model = FastPathCases.Model(2, KernelType.Log, RegularizationType.Gaussian, "uniform");
        var parameters = EwaldParameterChooser.Choose(model, Particles, 1e-6);
        // A slab needs ⌈r_c·M⌉ rows (and p − 1): ⌊1/r_c⌋ slabs only where r_c·M is about whole.
        int allowed = parameters.Mesh / Math.Max(parameters.Order - 1, (int)Math.Ceiling(parameters.Cutoff * parameters.Mesh));
        var failure = Assert.Throws<AggregateException>(() => InProcessRanks.Run(allowed + 1, c =>
            new DistributedEwaldEvaluator(model, parameters, SimdPath.Auto, 1, c, Particles, 0).Dispose()));
        var refusal = Assert.IsType<SlabLimitException>(failure.InnerException);
        output.WriteLine(refusal.Message);
        Assert.Contains($"at most {allowed} ranks", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("cut-off r_c", refusal.Message, StringComparison.Ordinal);
    }

    private static double Norm2(double[][] v, int i) => v.Sum(axis => axis[i] * axis[i]);

    private static double Sq(double x) => x * x;
}
