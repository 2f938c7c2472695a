namespace HpcGB.Host.Output;

/// <summary>
/// The recent rate of simulated time per wall second, from samples of (wall seconds, simulated time) over the last
/// <see cref="Window"/>: the ETA of a run whose speed changes (stiffening, relaxing) follows what it does now, not
/// its average since the start.
/// </summary>
internal sealed class SimulatedTimeRate(double end, double window = 30.0)
{
    private readonly Queue<(double Wall, double Time)> _samples = new();

    /// <summary>Wall seconds of history the rate is taken over.</summary>
    public double Window { get; } = window;

    /// <summary>Records that the run was at simulated time <paramref name="time"/> at <paramref name="wall"/> seconds.</summary>
    public void Add(double wall, double time)
    {
        _samples.Enqueue((wall, time));
        // Forget samples older than the window, keeping two so a rate exists between sparse samples.
        while (_samples.Count > 2 && wall - _samples.Peek().Wall > Window)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Simulated time per wall second over the window, or null before two samples.</summary>
    public double? Rate
    {
        get
        {
            if (_samples.Count < 2)
            {
                return null;
            }
            var first = _samples.Peek();
            var last = _samples.Last();
            double wall = last.Wall - first.Wall;
            return wall > 0 ? (last.Time - first.Time) / wall : null;
        }
    }

    /// <summary>Seconds left at the recent rate, or null when there is no rate yet (or no progress in the window).</summary>
    public double? Remaining => Rate is > 0 and var rate && _samples.Count > 0 ? Math.Max(0, end - _samples.Last().Time) / rate : null;
}
