using HpcGB.Host.Experiments;

namespace HpcGB.Host.Tests.Experiments;

/// <summary>The files an experiment writes, from synthetic rows: CSV columns, the markdown table, the PNGs.</summary>
public sealed class ExperimentOutputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hpcgb-experiment-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WritesCsvMarkdownAndPlots()
    {
        var report = new ExperimentReport("Title", "Set-up.");
        report.Rows.Add(new ComparisonRow("1d-log", double.NaN, 100, 0.05, 5e-3, 1.2e-2, 5e-3, 2.3e-2, 2.4e-2, double.NaN, 24, 1.5, 0.1));
        report.Rows.Add(new ComparisonRow("2d-log", 2.5, 400, 1e-7, 7e-2, double.NaN, 3e-2, 7e-2, 1e-8, 3e-9, 12, 0.5, 0.1));
        report.AddFit("1d-log: ∝ n^-0.98");
        string csv = Path.Combine(_directory, "results.csv"), md = Path.Combine(_directory, "results.md");
        report.WriteCsv(csv);
        report.WriteMarkdown(md, withParameter: true, withDrift: true, withW2: true);

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.Equal(14, lines[0].Split(',').Length);
        Assert.All(lines, line => Assert.Equal(14, line.Split(',').Length));
        Assert.StartsWith("1d-log,,100,0.05,0.005,0.012,", lines[1], StringComparison.Ordinal);
        string text = File.ReadAllText(md);
        Assert.Contains("| case | β | n | δ_n |", text);
        Assert.Contains("| 2d-log | 2.5 | 400 | 1e-7 |", text);
        Assert.Contains("- 1d-log: ∝ n^-0.98", text);

        string png = Path.Combine(_directory, "distance.png");
        LogLogPlot.Write(png, "t", "n", "d", [new LogLogSeries("s", [100, 400], [5e-3, 1e-3], LogLogFit.Of([100, 400], [5e-3, 1e-3]))]);
        Assert.True(new FileInfo(png).Length > 1000);
    }
}
