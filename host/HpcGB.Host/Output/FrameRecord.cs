namespace HpcGB.Host.Output;

/// <summary>
/// The observables of one output frame as the host writes them (summary.json rows, trajectory series, plots);
/// a plain copy so that the writers do not depend on the engine's runner types.
/// </summary>
/// <param name="WallSeconds">Wall time since the start of the simulation phase when the frame arrived.</param>
internal sealed record FrameRecord(
    int Index,
    double Time,
    double Energy,
    double MaxSpeed,
    double[] Centroid,
    long BoundDipoles,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations,
    double WallSeconds);
