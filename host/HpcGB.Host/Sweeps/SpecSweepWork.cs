using System.Globalization;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// <c>hpcgb sweep</c>'s runs: each generated spec runs into <c>DIR/runs/&lt;index&gt;/</c> (summary.json,
/// trajectory.h5, plots, sweep-run.json); rank 0 keeps <c>DIR/sweep.csv</c> and <c>DIR/sweep.md</c> current.
/// </summary>
internal sealed class SpecSweepWork(string directory, string title, SweepFile sweep, IReadOnlyList<SweepRun> runs, bool retryFailed)
    : ISweepWork
{
    private readonly SweepRunResult?[] _results = new SweepRunResult?[runs.Count];

    public int Count => runs.Count;

    public IReadOnlyList<SweepRunResult?> Results => _results;

    public static string RunDirectory(string directory, int index) =>
        Path.Combine(directory, "runs", index.ToString(CultureInfo.InvariantCulture));

    public double Cost(int index) => runs[index].Cost;

    public byte[]? Completed(int index)
    {
        var result = SweepRunRecord.ReadVerified(RunDirectory(directory, index), runs[index].SpecJson);
        return result is null || (retryFailed && !result.Succeeded) ? null : result.ToBytes();
    }

    public byte[] Execute(int index, CancellationToken cancellationToken) =>
        SweepRunExecutor.Execute(runs[index], RunDirectory(directory, index), cancellationToken).ToBytes();

    public byte[] Failure(int index, string message) => SweepRunResult.Failure(index, message, 0).ToBytes();

    public bool Record(int index, byte[] result)
    {
        _results[index] = SweepRunResult.FromBytes(result);
        return _results[index]!.Succeeded;
    }

    public void Publish(SweepTiming? timing) => SweepTables.Write(directory, title, sweep, runs, _results, timing);
}
