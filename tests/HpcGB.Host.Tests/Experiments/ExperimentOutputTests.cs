using HpcGB.Host.Experiments;

namespace HpcGB.Host.Tests.Experiments;

/// <summary>The files an experiment writes, from synthetic rows: CSV columns, the markdown tables, the PNGs.</summary>
public sealed class ExperimentOutputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hpcgb-experiment-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly ComparisonRow OneD = new(
        "1d-log", double.NaN, 100, 0.05, [0, 0.5, 1], [5e-3, 6e-3, 4e-3], [1.2e-2, 1.1e-2, 1e-2], [0, 2e-3, 3e-3],
        2.3e-2, 2.4e-2, double.NaN, 24, 1.5, 0.1);

    private static readonly ComparisonRow TwoD = new(
        "2d-log", 2.5, 400, 1e-7, [0, 0.5, 1], [3e-2, 5e-2, 7e-2], [], null, 7e-2, 1e-8, 3e-9, 12, 0.5, 0.1);

    [Fact]
    public void RowsSplitTheDistanceOverTime()
    {
        Assert.Equal(5e-3, OneD.InitialDistance);
        Assert.Equal(4e-3, OneD.FinalDistance);
        Assert.Equal(6e-3, OneD.SupDistance);
        Assert.Equal(1e-3, OneD.SupGrowth, 1e-18);
        Assert.Equal(1.2e-2, OneD.SupW2);
        Assert.Equal(0, OneD.InitialResolved);
        Assert.Equal(3e-3, OneD.SupResolved);
        Assert.True(double.IsNaN(TwoD.SupW2));
        Assert.True(double.IsNaN(TwoD.SupResolved));
    }

    [Fact]
    public void WritesCsvMarkdownAndPlots()
    {
        var report = new ExperimentReport("Title", "Set-up.");
        report.Rows.Add(OneD);
        report.Rows.Add(TwoD);
        report.AddFit("1d-log: ∝ n^-0.98");
        string csv = Path.Combine(_directory, "results.csv"), md = Path.Combine(_directory, "results.md");
        string series = Path.Combine(_directory, "distances.csv"), evolution = Path.Combine(_directory, "evolution.md");
        report.WriteCsv(csv);
        report.WriteTimeSeriesCsv(series);
        report.WriteMarkdown(md, withParameter: true, withDrift: true, withW2: true);
        report.WriteMarkdown(evolution, withParameter: false, withDrift: false, withW2: true, withEvolution: true);

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.Equal(18, lines[0].Split(',').Length);
        Assert.All(lines, line => Assert.Equal(18, line.Split(',').Length));
        Assert.StartsWith("1d-log,,100,0.05,0.006,0.012,0.005,0.004,0.001,0,0.003,", lines[1], StringComparison.Ordinal);
        string[] timeLines = File.ReadAllLines(series);
        Assert.Equal(1 + 3 + 3, timeLines.Length);
        Assert.Equal("1d-log,,100,0.5,0.006,0.011,0.002", timeLines[2]);
        Assert.Equal("2d-log,2.5,400,1,0.07,,", timeLines[6]);
        string text = File.ReadAllText(md);
        Assert.Contains("| case | β | n | δ_n |", text);
        Assert.Contains("| 2d-log | 2.5 | 400 | 1e-7 |", text);
        Assert.Contains("- 1d-log: ∝ n^-0.98", text);
        Assert.Contains("| case | n | δ_n | d(0) | d(T) | sup_t d | sup_t (d − d(0)) | d_δ(0) | sup_t d_δ |", File.ReadAllText(evolution));
        Assert.Contains("| 1d-log | 100 | 5e-2 | 5e-3 | 4e-3 | 6e-3 | 1e-3 | 0 | 3e-3 |", File.ReadAllText(evolution));

        string png = Path.Combine(_directory, "distance.png");
        LogLogPlot.Write(png, "t", "n", "d", [new LogLogSeries("s", [100, 400], [5e-3, 1e-3], LogLogFit.Of([100, 400], [5e-3, 1e-3]))], [-0.5, -1]);
        Assert.True(new FileInfo(png).Length > 1000);
        string time = Path.Combine(_directory, "time.png");
        TimeSeriesPlot.Write(time, "t", [("1d-log", [OneD]), ("2d-log", [TwoD])]);
        Assert.True(new FileInfo(time).Length > 1000);
    }
}
