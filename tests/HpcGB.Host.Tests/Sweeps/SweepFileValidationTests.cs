using HpcGB.Engine.Spec;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>
/// Every way a sweep file is rejected, one case per field: the error names the sweep file's path, and for a generated
/// spec also the run, its values and the spec's own path. Nothing runs.
/// </summary>
public sealed class SweepFileValidationTests : IDisposable
{
    private const string Base = """{ "dimension": 2, "particles": { "init": "uniform", "n": 10 }, "time": { "end": 0.01, "outputs": 2 } }""";

    private readonly CliHarness _harness = new();

    public static TheoryData<string, string, string> Rejected => new()
    {
        { "[1, 2]", "$", "JSON object" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"extra\": 1 }", "$.extra", "unknown key" },
        { "{ \"vary\": {} }", "$.base", "required" },
        { "{ \"base\": 3, \"vary\": {} }", "$.base", "must be a JSON object" },
        { "{ \"base\": " + Base + " }", "$.vary", "required" },
        { "{ \"base\": " + Base + ", \"vary\": [1] }", "$.vary", "must be a JSON object" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed\": 3 } }", "$.vary[\"seed\"]", "non-empty array" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed\": [] } }", "$.vary[\"seed\"]", "non-empty array" },
        { "{ \"base\": " + Base + ", \"vary\": { \"particles..n\": [1] } }", "$.vary[\"particles..n\"]", "dotted path" },
        { "{ \"base\": " + Base + ", \"vary\": { \"0.n\": [1] } }", "$.vary[\"0.n\"]", "spec key" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"zip\": 1 }", "$.zip", "true or false" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed\": [1, 2], \"particles.n\": [10] }, \"zip\": true }", "$.vary[\"particles.n\"]", "has 1 values" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"delta_rule\": 0.5 }", "$.delta_rule", "must be an object" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"delta_rule\": { \"c\": 1, \"beta\": 1, \"gamma\": 2 } }", "$.delta_rule.gamma", "unknown key" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"delta_rule\": { \"beta\": 1 } }", "$.delta_rule.c", "required" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"delta_rule\": { \"c\": 0, \"beta\": 1 } }", "$.delta_rule.c", "must be > 0" },
        { "{ \"base\": " + Base + ", \"vary\": {}, \"delta_rule\": { \"c\": 1, \"beta\": -1 } }", "$.delta_rule.beta", "must be ≥ 0" },
        { "{ \"base\": " + Base + ", \"vary\": { \"regularization.delta\": [0.1] }, \"delta_rule\": { \"c\": 1, \"beta\": 1 } }", "$.delta_rule", "use one" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed\": [1], \"seed\": [2] } }", "$", "malformed JSON" },
        { "{ \"base\": " + Base + ", \"vary\": { \"a\": [1,2,3,4,5,6,7,8,9,10], \"b\": [1,2,3,4,5,6,7,8,9,10], \"c\": [1,2,3,4,5,6,7,8,9,10], \"d\": [1,2,3,4,5,6,7,8,9,10], \"e\": [1,2,3,4,5,6,7,8,9,10], \"f\": [1,2,3,4,5,6,7,8,9,10], \"g\": [1,2,3,4,5,6,7,8,9,10] } }", "$.vary", "more than" },
        // The generated specs: the culprit is the sweep entry that produced the value, the reason names the run.
        { "{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [10, 0] } }", "$.vary[\"particles.n\"][1]", "run 1 (particles.n = 0): $.particles.n:" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed\": [1, \"x\"] } }", "$.vary[\"seed\"][1]", "run 1 (seed = \"x\"): $.seed:" },
        { "{ \"base\": " + Base + ", \"vary\": { \"time.stepsize\": [0.1] } }", "$.vary[\"time.stepsize\"][0]", "$.time.stepsize: unknown" },
        { "{ \"base\": " + Base.Replace("0.01", "-1", StringComparison.Ordinal) + ", \"vary\": { \"seed\": [1] } }", "$.base.time.end", "run 0 (seed = 1): $.time.end:" },
        { "{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [10, 40000] }, \"delta_rule\": { \"c\": 10, \"beta\": 0.1 } }", "$.delta_rule", "$.regularization.delta:" },
        { "{ \"base\": " + Base + ", \"vary\": { \"seed.x\": [1] } }", "$.vary[\"seed.x\"][0]", "$.seed:" },
        { "{ \"base\": " + Base + ", \"vary\": { \"time.end.x\": [1] } }", "$.vary[\"time.end.x\"][0]", "not an object" },
        { "{ \"base\": " + Base.Replace("\"time\"", "\"external\": { \"modes\": [ { \"k\": [1, 0], \"cos\": 0.1, \"sin\": 0 } ] }, \"time\"", StringComparison.Ordinal) + ", \"vary\": { \"external.modes.3.cos\": [1] } }", "$.vary[\"external.modes.3.cos\"][0]", "past the end" },
        { "{ \"base\": { \"model\": \"continuum\", \"dimension\": 1 }, \"vary\": {} }", "$.base", "" },
        { "{ \"base\": " + Base + ", \"vary\": { \"external.modes.0.cos\": [1] } }", "$.vary[\"external.modes.0.cos\"][0]", "no array external.modes" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_rejected_field_is_named_and_nothing_runs(string sweep, string path, string reason)
    {
        var error = Assert.Throws<SpecException>(() => SweepPlan.Expand(SweepReader.Parse(sweep)));
        Assert.StartsWith(path, error.Path, StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Threads_option_and_a_varied_thread_count_conflict()
    {
        var sweep = SweepReader.Parse("{ \"base\": " + Base + ", \"vary\": { \"forces.threads\": [1, 2] } }");
        var error = Assert.Throws<SpecException>(() => SweepPlan.Expand(sweep, threads: 1));
        Assert.Equal("$.vary[\"forces.threads\"]", error.Path);
    }

    [Fact]
    public void The_command_prints_one_error_line_exits_2_and_writes_nothing()
    {
        string file = _harness.WriteText("bad.json", "{ \"base\": " + Base + ", \"vary\": { \"particles.n\": [10, -5] } }");
        string output = _harness.PathOf("out");
        var result = CliHarness.Run("sweep", file, "--out", output);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: $.vary[\"particles.n\"][1]: run 1 (particles.n = -5): $.particles.n:", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    public void Dispose() => _harness.Dispose();
}
