using System.Text.Json;
using System.Text.Json.Nodes;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>Small sweep files and the comparison of two sweeps' outputs, run by run.</summary>
internal static class SweepFixtures
{
    /// <summary>2D log, gaussian, n = 8 … 24 uniform, end 0.02, 3 outputs, reference forces, one thread per run:
    /// <paramref name="runs"/> runs (2 δ × seeds), each about a second, mostly its plots.</summary>
    public static string Small(int seeds = 3) => $$"""
        { "base": { "dimension": 2, "particles": { "init": "uniform", "n": 8 }, "regularization": { "delta": 0.05 },
                    "time": { "end": 0.02, "outputs": 3 }, "forces": { "method": "reference", "threads": 1 } },
          "vary": { "particles.n": [8, 24], "regularization.delta": [0.05, 0.1], "seed": [{{string.Join(", ", Enumerable.Range(1, seeds))}}] } }
        """;

    /// <summary>
    /// Asserts that every run directory of <paramref name="actual"/> holds the same files as <paramref name="expected"/>
    /// with the same bytes, except what records wall-clock time or the output directory: in summary.json the timings
    /// (<c>timings</c>, each frame's <c>wall_seconds</c>) and the output paths; sweep-run.json is compared by its spec
    /// and its result without the wall time. trajectory.h5, the checkpoint and the plots must be equal byte for byte.
    /// </summary>
    public static void AssertSameRuns(string expected, string actual, int runs)
    {
        for (int index = 0; index < runs; index++)
        {
            string e = SpecSweepWork.RunDirectory(expected, index), a = SpecSweepWork.RunDirectory(actual, index);
            var names = Directory.GetFiles(e).Select(Path.GetFileName).Order().ToArray();
            Assert.Equal(names, Directory.GetFiles(a).Select(Path.GetFileName).Order().ToArray());
            foreach (string name in names!)
            {
                string ef = Path.Combine(e, name!), af = Path.Combine(a, name!);
                switch (name)
                {
                    case "summary.json":
                        Assert.Equal(WithoutTimings(ef), WithoutTimings(af));
                        break;
                    case SweepRunRecord.FileName:
                        Assert.Equal(Record(ef), Record(af));
                        break;
                    default:
                        Assert.True(File.ReadAllBytes(ef).AsSpan().SequenceEqual(File.ReadAllBytes(af)), $"run {index}: {name} differs");
                        break;
                }
            }
        }
    }

    /// <summary>The rows of sweep.csv without the wall-time column.</summary>
    public static string[] TableWithoutWallTime(string directory)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, SweepTables.CsvFile));
        int wall = Array.IndexOf(lines[0].Split(','), "wall_seconds");
        return lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != wall))).ToArray();
    }

    private static string WithoutTimings(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root.Remove("timings");
        root.Remove("outputs");
        foreach (var frame in root["observables"]!.AsArray())
        {
            frame!.AsObject().Remove("wall_seconds");
        }
        return root.ToJsonString();
    }

    private static string Record(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var result = root["result"]!.AsObject();
        result.Remove("wall_seconds");
        return root["spec"]!.GetValue<string>() + result.ToJsonString(new JsonSerializerOptions());
    }
}
