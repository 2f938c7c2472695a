using HpcGB.Client.Wire;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;

namespace HpcGB.Host.Service;

/// <summary>The notifications a run sends its subscribers, each <c>[2, name, [map]]</c> (docs/protocol.md).</summary>
internal static class RunNotifications
{
    public static byte[] Progress(long runId, int frame, Observables observables, long dropped) =>
        Encode("progress", new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["frame"] = frame,
            ["t"] = observables.Time,
            ["energy"] = observables.Energy,
            ["max_speed"] = observables.MaxSpeed,
            ["centroid"] = observables.Centroid,
            ["bound_dipoles"] = observables.BoundDipoles,
            ["accepted_steps"] = observables.AcceptedSteps,
            ["rejected_steps"] = observables.RejectedSteps,
            ["force_evaluations"] = observables.ForceEvaluations,
            ["dropped"] = dropped,
        });

    public static byte[] State(long runId, int frame, RunSnapshot snapshot, sbyte[] signs) =>
        Encode("state", new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["frame"] = frame,
            ["t"] = snapshot.Time,
            ["positions"] = WrappedPositions(snapshot),
            ["signs"] = NdArray.FromSigns(signs),
        });

    public static byte[] Finished(long runId, RunSnapshot snapshot) =>
        Encode("finished", new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["t"] = snapshot.Time,
            ["frames"] = snapshot.NextFrame,
        });

    public static byte[] Failed(long runId, double t, int code, string message) =>
        Encode("failed", new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["t"] = t,
            ["error"] = new object?[] { code, message },
        });

    public static byte[] Cancelled(long runId, double t) =>
        Encode("cancelled", new Dictionary<string, object?> { ["run_id"] = runId, ["t"] = t });

    /// <summary>The server is stopping; the run was checkpointed under <paramref name="checkpointId"/> (null: it
    /// could not be).</summary>
    public static byte[] Shutdown(long runId, double t, string? checkpointId, string message) =>
        Encode("shutdown", new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["t"] = t,
            ["checkpoint_id"] = checkpointId,
            ["message"] = message,
        });

    /// <summary>Positions wrapped into [0,1)^d as an n×d float64 array (the form every output uses).</summary>
    public static NdArray WrappedPositions(RunSnapshot snapshot) =>
        NdArray.FromAxes(snapshot.Positions, Torus.Wrap);

    private static byte[] Encode(string method, Dictionary<string, object?> body) =>
        WireWriter.ToBytes(buffer => WireWriter.WriteNotification(buffer, method, [body]));
}
