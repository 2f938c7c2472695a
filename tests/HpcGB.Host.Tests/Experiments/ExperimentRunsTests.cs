using HpcGB.Host.Experiments;

namespace HpcGB.Host.Tests.Experiments;

/// <summary>Experiments run through the sweep machinery: rows in task order, kept per run, skipped on a rerun.</summary>
public sealed class ExperimentRunsTests : IDisposable
{
    private readonly CliHarness _harness = new();

    [Fact]
    public void Rows_come_back_in_task_order_and_a_rerun_skips_the_runs_done()
    {
        int calls = 0;
        ComparisonRow Row(int n) => new(
            "1d-log", double.NaN, n, 1.0 / n, [0, 0.5], [0.5, 1.0 / n], [0.6, 0.7], [double.NaN, 1e-9], 0.25, 0.125, double.NaN, n, 0.1, 0.2);
        // Records compare arrays by reference: compare what a row holds.
        string Holds(ComparisonRow r) => System.Text.Json.JsonSerializer.Serialize(r, new System.Text.Json.JsonSerializerOptions
        {
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
        ExperimentTask Task(int n) => new($"1d-log n={n}", n, _ => { Interlocked.Increment(ref calls); return Row(n); });
        var tasks = new[] { Task(10), Task(1000), Task(100) };
        var log = new StringWriter();

        var rows = ExperimentRuns.Execute(tasks, _harness.Directory, log, CancellationToken.None)!;
        Assert.Equal([10, 1000, 100], rows.Select(r => r.N));
        Assert.Equal(Holds(Row(1000)), Holds(rows[1]));
        Assert.True(double.IsNaN(rows[0].Parameter));
        Assert.Equal(3, calls);
        Assert.True(File.Exists(Path.Combine(_harness.Directory, "runs", "2", "row.json")));

        // The same tasks again: nothing runs; a changed task (another label) runs again.
        Assert.Equal(rows.Select(Holds), ExperimentRuns.Execute(tasks, _harness.Directory, log, CancellationToken.None)!.Select(Holds));
        Assert.Equal(3, calls);
        tasks[2] = Task(200);
        Assert.Equal(200, ExperimentRuns.Execute(tasks, _harness.Directory, log, CancellationToken.None)![2].N);
        Assert.Equal(4, calls);
    }

    public void Dispose() => _harness.Dispose();
}
