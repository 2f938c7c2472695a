using HpcGB.Engine.Integrators;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// An integrator's per-particle state as columns ([column][particle]) that travel with the particles between ranks
/// (migration, checkpoints): the cached velocity's axes, then each BDF history point's moving axes, newest first.
/// </summary>
public static class IntegratorRows
{
    /// <summary>The columns of <paramref name="state"/> (none when it has neither velocity nor history).</summary>
    public static double[][] Columns(IntegratorCheckpoint? state) =>
        state is null ? [] : [.. state.Velocity ?? [], .. (state.History?.Points ?? []).SelectMany(point => point)];

    /// <summary>How many columns <paramref name="state"/> has: velocity axes + history points × moving axes.</summary>
    public static int Count(IntegratorCheckpoint? state) => Columns(state).Length;

    /// <summary><paramref name="state"/> with its columns replaced by <paramref name="columns"/> (as <see cref="Columns"/> made them).</summary>
    public static IntegratorCheckpoint WithColumns(IntegratorCheckpoint state, double[][] columns)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(columns);
        int v = state.Velocity?.Length ?? 0;
        var history = state.History;
        if (history is not null)
        {
            int points = history.Points.Length, axes = points == 0 ? 0 : history.Points[0].Length;
            history = history with { Points = Enumerable.Range(0, points).Select(k => columns[(v + k * axes)..(v + (k + 1) * axes)]).ToArray() };
        }
        return state with { Velocity = state.Velocity is null ? null : columns[..v], History = history };
    }
}
