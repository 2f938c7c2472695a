using System.Diagnostics;
using System.Globalization;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// Rank 0's one progress line: runs done / total, failures, runs in flight, elapsed time and an ETA from the
/// expected cost still to run. On a terminal the line is rewritten in place whenever a run starts or ends; otherwise
/// one line at the start and one per finished run.
/// </summary>
internal sealed class SweepProgress(CliConsole console, int total, int skipped, double costToRun)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _skipped = skipped;
    private int _done = skipped;
    private int _failed;
    private double _costDone;

    private bool _shown;

    public void Started(int running)
    {
        if (console.Interactive || !_shown)
        {
            Write(running);
            _shown = true;
        }
    }

    public void Finished(bool succeeded, double cost, int running)
    {
        _done++;
        _failed += succeeded ? 0 : 1;
        _costDone += cost;
        Write(running);
    }

    public void End()
    {
        if (console.Interactive)
        {
            console.Error.WriteLine();
        }
    }

    private void Write(int running)
    {
        double elapsed = _clock.Elapsed.TotalSeconds;
        string eta = _costDone > 0 && costToRun > _costDone
            ? Duration(elapsed * (costToRun - _costDone) / _costDone)
            : _done == total ? "0s" : "?";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"sweep: {_done}/{total} runs done ({_skipped} skipped, {_failed} failed), {running} running, {Duration(elapsed)} elapsed, ETA {eta}");
        if (console.Interactive)
        {
            console.Error.Write("\r" + line.PadRight(100));
        }
        else
        {
            console.Error.WriteLine(line);
        }
    }

    private static string Duration(double seconds) => seconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:F0}s")
        : TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds < 3600 ? @"m\mss\s" : @"h\hmm\m", CultureInfo.InvariantCulture);
}
