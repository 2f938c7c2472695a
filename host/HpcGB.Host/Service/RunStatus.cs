namespace HpcGB.Host.Service;

/// <summary>Where a run is in its life; sent as the lowercase name.</summary>
internal enum RunStatus
{
    /// <summary>Built from the spec (or restored from a checkpoint: then <see cref="Paused"/>), not started.</summary>
    Created,

    /// <summary>Waiting for a free worker.</summary>
    Queued,

    Running,

    /// <summary>Stopped at a segment boundary by <c>pause</c>, at the target of <c>advance</c>, or by a shutdown.</summary>
    Paused,

    /// <summary>Reached <c>time.end</c>.</summary>
    Finished,

    /// <summary>The simulation failed (see the run's failure message).</summary>
    Failed,

    Cancelled,
}

internal static class RunStatusNames
{
    public static string Wire(this RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Whether a worker holds or will pick up the run.</summary>
    public static bool IsActive(this RunStatus status) => status is RunStatus.Queued or RunStatus.Running;
}
