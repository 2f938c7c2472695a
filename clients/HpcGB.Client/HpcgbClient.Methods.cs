using HpcGB.Client.Wire;

namespace HpcGB.Client;

/// <summary>Typed wrappers of the protocol's methods (docs/protocol.md). Maps come back as
/// <c>IDictionary&lt;object, object?&gt;</c>; read them with <see cref="Field"/>.</summary>
public sealed partial class HpcgbClient
{
    /// <summary>The value under <paramref name="key"/> of a result map (keys sent as str or bin).</summary>
    public static object? Field(object? map, string key) =>
        map is IDictionary<object, object?> dictionary && WireValues.TryGet(dictionary, key, out object? value)
            ? value
            : throw new KeyNotFoundException($"result has no field '{key}'");

    public static NdArray Array(object? map, string key) =>
        Field(map, key) is IDictionary<object, object?> array ? NdArray.Parse(array, key) : throw new InvalidCastException($"'{key}' is not an ndarray");

    public Task<object?> HelloAsync(string? token = null) =>
        token is null ? CallAsync("hello") : CallAsync("hello", new Dictionary<string, object?> { ["token"] = token });

    /// <summary>Validates a spec (JSON text or a map); returns the normalised spec as JSON text.</summary>
    public Task<object?> ValidateAsync(object spec) => CallAsync("validate", spec);

    /// <summary><c>{energy, velocities (n×d float64), parameters}</c> of the spec's initial configuration.</summary>
    public Task<object?> ForcesAsync(object spec) => CallAsync("forces", spec);

    public async Task<long> CreateRunAsync(object spec) => RunId(await CallAsync("create_run", spec).ConfigureAwait(false));

    /// <summary>A run that also writes trajectory.h5 and summary.json on the server, in its output directory's
    /// <paramref name="outputs"/> folder.</summary>
    public async Task<long> CreateRunAsync(object spec, string outputs) => RunId(await CallAsync(
        "create_run", spec, new Dictionary<string, object?> { ["outputs"] = outputs }).ConfigureAwait(false));

    public Task<object?> StartAsync(long runId) => CallAsync("start", runId);

    /// <summary>Runs to time <paramref name="t"/> and pauses there; the reply comes when it got there.</summary>
    public Task<object?> AdvanceAsync(long runId, double t) => CallAsync("advance", runId, t);

    public Task<object?> PauseAsync(long runId) => CallAsync("pause", runId);

    public Task<object?> GetStateAsync(long runId, params string[] fields) => CallAsync("get_state", runId, fields);

    public Task<object?> SubscribeAsync(long runId, int every = 1) => CallAsync("subscribe", runId, every);

    public Task<object?> UnsubscribeAsync(long runId) => CallAsync("unsubscribe", runId);

    public Task<object?> CancelAsync(long runId) => CallAsync("cancel", runId);

    public async Task<string> CheckpointAsync(long runId) =>
        (string)(await CallAsync("checkpoint", runId).ConfigureAwait(false))!;

    public async Task<long> RestoreAsync(string checkpointId) => RunId(await CallAsync("restore", checkpointId).ConfigureAwait(false));

    public Task<object?> ListRunsAsync() => CallAsync("list_runs");

    public Task<object?> DeleteRunAsync(long runId) => CallAsync("delete_run", runId);

    private static long RunId(object? result) =>
        WireValues.TryLong(result) ?? throw new InvalidCastException($"expected a run id, got {WireValues.Describe(result)}");
}
