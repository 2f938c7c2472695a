using HpcGB.Client.Wire;

namespace HpcGB.Client;

/// <summary>Typed wrappers of the protocol's methods (docs/protocol.md), each returning a typed result (Results.cs).
/// <c>CallAsync</c> stays for raw replies: maps come back as <c>IDictionary&lt;object, object?&gt;</c>;
/// read them with <see cref="Field"/>.</summary>
public sealed partial class HpcgbClient
{
    /// <summary>The value under <paramref name="key"/> of a result map (keys sent as str or bin).</summary>
    public static object? Field(object? map, string key) =>
        map is IDictionary<object, object?> dictionary && WireValues.TryGet(dictionary, key, out object? value)
            ? value
            : throw new KeyNotFoundException($"result has no field '{key}'");

    public static NdArray Array(object? map, string key) =>
        Field(map, key) is IDictionary<object, object?> array ? NdArray.Parse(array, key) : throw new InvalidCastException($"'{key}' is not an ndarray");

    public async Task<HelloResult> HelloAsync(string? token = null) => HelloResult.Read(await (token is null
        ? CallAsync("hello")
        : CallAsync("hello", new Dictionary<string, object?> { ["token"] = token })).ConfigureAwait(false));

    /// <summary>Validates a spec (JSON text or a map); returns the normalised spec as JSON text.</summary>
    public async Task<ValidateResult> ValidateAsync(object spec) =>
        ValidateResult.Read(await CallAsync("validate", spec).ConfigureAwait(false));

    /// <summary>Energy, velocities and the evaluator's parameters of the spec's initial configuration.</summary>
    public async Task<ForcesResult> ForcesAsync(object spec) => ForcesResult.Read(await CallAsync("forces", spec).ConfigureAwait(false));

    public async Task<long> CreateRunAsync(object spec) => RunId(await CallAsync("create_run", spec).ConfigureAwait(false));

    /// <summary>A run that also writes trajectory.h5 and summary.json on the server, in its output directory's
    /// <paramref name="outputs"/> folder.</summary>
    public async Task<long> CreateRunAsync(object spec, string outputs) => RunId(await CallAsync(
        "create_run", spec, new Dictionary<string, object?> { ["outputs"] = outputs }).ConfigureAwait(false));

    public async Task<RunSummary> StartAsync(long runId) => RunSummary.Read(await CallAsync("start", runId).ConfigureAwait(false), "start");

    /// <summary>Runs to time <paramref name="t"/> and pauses there; the reply comes when it got there.</summary>
    public async Task<RunSummary> AdvanceAsync(long runId, double t) =>
        RunSummary.Read(await CallAsync("advance", runId, t).ConfigureAwait(false), "advance");

    public async Task<RunSummary> PauseAsync(long runId) => RunSummary.Read(await CallAsync("pause", runId).ConfigureAwait(false), "pause");

    /// <summary>The run's last snapshot; only <paramref name="fields"/> are set (default status, t, frame).</summary>
    public async Task<RunState> GetStateAsync(long runId, params string[] fields) =>
        RunState.Read(await CallAsync("get_state", runId, fields).ConfigureAwait(false));

    public async Task<SubscribeResult> SubscribeAsync(long runId, int every = 1) =>
        SubscribeResult.Read(await CallAsync("subscribe", runId, every).ConfigureAwait(false));

    public async Task<UnsubscribeResult> UnsubscribeAsync(long runId) =>
        UnsubscribeResult.Read(await CallAsync("unsubscribe", runId).ConfigureAwait(false));

    public async Task<RunSummary> CancelAsync(long runId) => RunSummary.Read(await CallAsync("cancel", runId).ConfigureAwait(false), "cancel");

    public async Task<string> CheckpointAsync(long runId) =>
        (string)(await CallAsync("checkpoint", runId).ConfigureAwait(false))!;

    public async Task<long> RestoreAsync(string checkpointId) => RunId(await CallAsync("restore", checkpointId).ConfigureAwait(false));

    /// <summary>All live runs of the server, by id.</summary>
    public async Task<RunSummary[]> ListRunsAsync() => await CallAsync("list_runs").ConfigureAwait(false) is object?[] runs
        ? runs.Select(run => RunSummary.Read(run, "list_runs")).ToArray()
        : throw new InvalidCastException("list_runs: expected an array of summaries");

    /// <summary>Cancels the run if needed and forgets it; true on success.</summary>
    public async Task<bool> DeleteRunAsync(long runId) => await CallAsync("delete_run", runId).ConfigureAwait(false) is true;

    private static long RunId(object? result) =>
        WireValues.TryLong(result) ?? throw new InvalidCastException($"expected a run id, got {WireValues.Describe(result)}");
}
