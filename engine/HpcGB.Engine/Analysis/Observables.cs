namespace HpcGB.Engine.Analysis;

/// <summary>
/// What a frame reports besides the positions.
/// </summary>
/// <param name="Time">Simulated time.</param>
/// <param name="Energy">E_n from an evaluation with energy at this time.</param>
/// <param name="MaxSpeed">max_i |ẋ_i| (Euclidean over the axes).</param>
/// <param name="Centroid">Σ_i x_i per axis over the unwrapped positions — a plain sum, not divided by n; it is
/// conserved exactly when U = 0 and F = 0 (docs/model.md §1), which makes it a cheap correctness monitor.</param>
/// <param name="BoundDipoles">Bound dipoles: mutual nearest opposite-sign pairs closer than the bound distance
/// (<see cref="Analysis.BoundDipoles"/>).</param>
/// <param name="AcceptedSteps">Accepted integrator steps since t = 0.</param>
/// <param name="RejectedSteps">Rejected integrator steps since t = 0.</param>
/// <param name="ForceEvaluations">All force evaluations since t = 0, the frames' energy evaluations included.</param>
public sealed record Observables(
    double Time,
    double Energy,
    double MaxSpeed,
    double[] Centroid,
    long BoundDipoles,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations);
