using HpcGB.Engine.Spec;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>
/// Every spec in docs/examples is one the README or the docs tell users to run: each must read, and its normalised
/// JSON must read back to the same JSON (what summary.json and checkpoints store).
/// </summary>
public sealed class ExampleSpecTests
{
    public static TheoryData<string> Examples()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "docs", "examples"), "*.json");
        Assert.NotEmpty(files);
        return [.. files.Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ReadsAndWritesBackTheSameJson(string file)
    {
        string json = Normalised(SpecReader.ParseRunFile(Path.Combine(Repository.Root, "docs", "examples", file)));

        Assert.Equal(json, Normalised(SpecReader.ParseRun(json)));
    }

    private static string Normalised(RunSpec spec) => spec switch
    {
        SimulationSpec particles => SpecWriter.ToJson(particles),
        ContinuumSpec continuum => SpecWriter.ToJson(continuum),
        _ => throw new InvalidOperationException($"no writer for {spec.GetType().Name}"),
    };
}
