using HpcGB.Engine.Spec;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>How a sweep file expands: product order, zip, the δ rule, dotted paths into objects and arrays.</summary>
public sealed class SweepPlanTests
{
    private const string Base = """
        { "dimension": 2, "particles": { "init": "uniform", "n": 10 }, "time": { "end": 0.01, "outputs": 2 },
          "external": { "modes": [ { "k": [1, 0], "cos": 0.1, "sin": 0 } ] } }
        """;

    [Fact]
    public void The_product_varies_the_last_key_fastest()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse(
            "{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [10, 20], \"regularization.delta\": [0.05, 0.1, 0.2], \"seed\": [7, 8] } }"));
        Assert.Equal(12, runs.Count);
        Assert.Equal(["10", "0.05", "7"], runs[0].Values);
        Assert.Equal(["10", "0.05", "8"], runs[1].Values);
        Assert.Equal(["10", "0.1", "7"], runs[2].Values);
        Assert.Equal(["20", "0.2", "8"], runs[11].Values);
        var last = runs[11].Spec;
        Assert.Equal(20, ((UniformParticles)last.Particles).Count);
        Assert.Equal(0.2, last.System.Regularization.Delta);
        Assert.Equal(8UL, last.Seed);
        Assert.Equal(Enumerable.Range(0, 12), runs.Select(r => r.Index));
    }

    [Fact]
    public void Zip_pairs_the_lists_element_wise()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse(
            "{ \"base\": " + Base + ", \"zip\": true, \"vary\": { \"particles.n\": [10, 20, 40], \"seed\": [1, 2, 3] } }"));
        Assert.Equal([(10, 1UL), (20, 2UL), (40, 3UL)], runs.Select(r => (((UniformParticles)r.Spec.Particles).Count, r.Spec.Seed)));
    }

    [Fact]
    public void The_delta_rule_sets_delta_from_each_runs_particle_count()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse(
            "{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [100, 10000] }, \"delta_rule\": { \"c\": 0.5, \"beta\": 0.25 } }"));
        Assert.Equal(0.5 * Math.Pow(100, -0.25), runs[0].Spec.System.Regularization.Delta);
        Assert.Equal(0.5 * Math.Pow(10000, -0.25), runs[1].Spec.System.Regularization.Delta);
        Assert.Equal(runs[1].Spec.System.Regularization.Delta, runs[1].Delta);
    }

    [Fact]
    public void Dotted_paths_create_missing_objects_and_index_arrays()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse(
            "{ \"base\": " + Base + ", \"vary\": { \"forces.method\": [\"reference\"], \"external.modes.0.cos\": [0.25] } }"));
        var spec = Assert.Single(runs).Spec;
        Assert.Equal(ForceMethod.Reference, spec.Forces.Method);
        Assert.Equal(0.25, spec.System.External.Modes[0].Cos);
    }

    [Fact]
    public void Threads_option_sets_every_runs_thread_count()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse("{ \"base\": " + Base + ", \"vary\": { \"seed\": [1, 2] } }"), threads: 3);
        Assert.All(runs, r => Assert.Equal(3, r.Spec.Forces.Threads));
    }

    [Fact]
    public void Larger_runs_are_expected_to_cost_more()
    {
        var runs = SweepPlan.Expand(SweepReader.Parse("{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [10, 1000, 100000] } }"));
        Assert.True(runs[0].Cost < runs[1].Cost && runs[1].Cost < runs[2].Cost);
    }
}
