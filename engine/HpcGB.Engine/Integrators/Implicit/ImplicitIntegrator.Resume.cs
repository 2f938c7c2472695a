using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Checkpoints: the step size, the BDF history (the last MaxOrder + 1 accepted points and their times), the order
/// and the steps taken at it, E_n at the newest point for the energy check, ẋ there (the checkpoint's
/// <see cref="IntegratorCheckpoint.Velocity"/>: Newton's start at the last solution and the early escape read it),
/// and the counters. The pairs whose
/// curvature filters the next error estimate are found again from the newest point, and the Newton solve keeps
/// nothing from one step to the next (CG starts from 0, the pair list is rebuilt), so these are all a step
/// depends on. A checkpoint of issue 4's BDF2 integrator (no order saved, 2 or 3 points) continues at order ≤ 2.
/// </summary>
public sealed partial class ImplicitIntegrator : IResumableIntegrator
{
    // Restore has no evaluator to build the workspace with, so the history waits here for the next Advance.
    private Resumed? _resumed;

    public IntegratorCheckpoint Capture()
    {
        var history = _resumed is { } resumed ? Copy(resumed.History) : CaptureHistory();
        var velocity = _resumed is { } waiting ? Copy(waiting.Velocity)
            : history is not null && _work!.NewestVelocityKnown ? Copy(_work.NewestVelocity)
            : null;
        return new IntegratorCheckpoint(
            Name, double.IsNaN(_time) ? 0 : _time, _step, 0, velocity, AcceptedSteps, RejectedSteps, ForceEvaluations, history)
        {
            LocalErrorSum = LocalErrorSum,
        };
    }

    public void Restore(ParticleState state, IntegratorCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(checkpoint);
        Resumption.CheckMatches(this, state, checkpoint);
        CheckHistory(checkpoint, state);
        _resumed = new Resumed(state, Copy(checkpoint.History), checkpoint.History is null ? null : Copy(checkpoint.Velocity));
        _time = checkpoint.Time;
        _step = checkpoint.Step;
        _energy = checkpoint.History?.Energy ?? 0;
        var saved = checkpoint.History;
        _order = saved is null ? 1 : Math.Min(MaxOrder, saved.Order > 0 ? saved.Order : Math.Min(2, saved.Times.Length - 1));
        _stepsAtOrder = saved?.StepsAtOrder ?? 0;
        AcceptedSteps = checkpoint.AcceptedSteps;
        RejectedSteps = checkpoint.RejectedSteps;
        ForceEvaluations = checkpoint.ForceEvaluations;
        LocalErrorSum = checkpoint.LocalErrorSum;
    }

    /// <summary>
    /// The history if it belongs to where the last Advance ended (two points at least: one step taken): the newest
    /// <see cref="MaxOrder"/> + 1 points, all that the next steps read (order q's predictor takes q + 1, the
    /// estimate for q + 1 &lt;= MaxOrder one more) — 3 for BDF2, as in issue 4's checkpoints.
    /// </summary>
    private MultistepHistory? CaptureHistory()
    {
        var history = _work?.History;
        if (history is null || history.Count < 2 || history.Time(0) != _time)
        {
            return null;
        }
        int kept = Math.Min(history.Count, MaxOrder + 1);
        var times = new double[kept];
        var points = new double[kept][][];
        for (int k = 0; k < kept; k++)
        {
            times[k] = history.Time(k);
            points[k] = history.Point(k).Select(axis => (double[])axis.Clone()).ToArray();
        }
        return new MultistepHistory(times, points, _energy, _order, _stepsAtOrder);
    }

    /// <summary>Refills <paramref name="target"/>, oldest point first so the newest ends up newest.</summary>
    private static void Load(MultistepHistory? history, StepHistory target)
    {
        target.Clear();
        for (int k = (history?.Times.Length ?? 0) - 1; k >= 0; k--)
        {
            target.Push(history!.Times[k], history.Points[k]);
        }
    }

    private void CheckHistory(IntegratorCheckpoint checkpoint, ParticleState state)
    {
        if (checkpoint.History is not { } history)
        {
            return;
        }
        double time = checkpoint.Time;
        int moving = StagePositions.MovingAxes(state, _model.Mobility);
        int count = history.Times.Length;
        string? problem =
            count is < 2 or > Workspace.HistoryCapacity || history.Points.Length != count
                ? $"needs 2 … {Workspace.HistoryCapacity} points with times, got {count} times and {history.Points.Length} points"
            : history.Order < 0 || history.Order >= count ? $"its order {history.Order} needs more than its {count} points"
            : history.StepsAtOrder < 0 ? $"its steps at the order must not be negative, got {history.StepsAtOrder}"
            : history.Times[0] != time ? $"its newest point is at t = {history.Times[0]:R}, not at the checkpoint's t = {time:R}"
            : history.Times.Zip(history.Times.Skip(1)).Any(pair => !(pair.First > pair.Second)) ? "its times must decrease"
            : history.Points.Any(point => point.Length != moving || point.Any(axis => axis.Length != state.Count))
                ? $"its points do not match {state.Count} particles with {moving} moving axes"
            : !double.IsFinite(history.Energy) ? $"its energy {history.Energy} is not finite"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"checkpoint history of '{Name}': {problem}", nameof(checkpoint));
        }
    }

    private static MultistepHistory? Copy(MultistepHistory? history) => history is null
        ? null
        : new MultistepHistory(
            (double[])history.Times.Clone(),
            history.Points.Select(point => point.Select(axis => (double[])axis.Clone()).ToArray()).ToArray(),
            history.Energy,
            history.Order,
            history.StepsAtOrder);

    private static double[][]? Copy(double[][]? axes) => axes?.Select(axis => (double[])axis.Clone()).ToArray();

    private sealed record Resumed(ParticleState Owner, MultistepHistory? History, double[][]? Velocity);
}
