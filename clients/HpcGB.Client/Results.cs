using HpcGB.Client.Wire;

namespace HpcGB.Client;

/// <summary>Reads the fields of a result map for the typed results; numbers are read leniently (a double may arrive
/// as float32 or an integer, strings as str or bin) and a missing or mistyped field throws naming it.</summary>
internal sealed class ResultMap(object? result, string method)
{
    private readonly IDictionary<object, object?> _map = result as IDictionary<object, object?>
        ?? throw new InvalidCastException($"{method}: expected a map, got {WireValues.Describe(result)}");

    public bool Has(string key) => WireValues.TryGet(_map, key, out _);

    public object? Raw(string key) => WireValues.TryGet(_map, key, out object? value)
        ? value
        : throw new KeyNotFoundException($"{method}: result has no field '{key}'");

    public string Text(string key) => WireValues.TryString(Raw(key)) ?? throw Bad(key, "a string");

    public long Long(string key) => WireValues.TryLong(Raw(key)) ?? throw Bad(key, "an integer");

    public double Double(string key) => WireValues.TryDouble(Raw(key)) ?? throw Bad(key, "a number");

    public bool Bool(string key) => Raw(key) is bool b ? b : throw Bad(key, "a boolean");

    public string[] Texts(string key) => Raw(key) is object?[] items
        ? items.Select(item => WireValues.TryString(item) ?? throw Bad(key, "an array of strings")).ToArray()
        : throw Bad(key, "an array of strings");

    public double[] Doubles(string key) => Raw(key) switch
    {
        object?[] items => items.Select(item => WireValues.TryDouble(item) ?? throw Bad(key, "an array of numbers")).ToArray(),
        IDictionary<object, object?> array => NdArray.Parse(array, $"{method}.{key}").ToDoubles(),
        _ => throw Bad(key, "an array of numbers"),
    };

    /// <summary>An n×d ndarray as axis-major arrays <c>[a][i]</c> (see <see cref="NdArray.ToAxes"/>).</summary>
    public double[][] Axes(string key) => Raw(key) is IDictionary<object, object?> array
        ? NdArray.Parse(array, $"{method}.{key}").ToAxes()
        : throw Bad(key, "an ndarray");

    public int[] Ints(string key) => Raw(key) switch
    {
        IDictionary<object, object?> array => NdArray.Parse(array, $"{method}.{key}").ToDoubles().Select(v => (int)v).ToArray(),
        object?[] items => items.Select(item => (int)(WireValues.TryLong(item) ?? throw Bad(key, "an array of integers"))).ToArray(),
        _ => throw Bad(key, "an int array"),
    };

    public IDictionary<object, object?> Map(string key) =>
        Raw(key) as IDictionary<object, object?> ?? throw Bad(key, "a map");

    private InvalidCastException Bad(string key, string expected) =>
        new($"{method}: '{key}' must be {expected}, got {WireValues.Describe(Raw(key))}");
}

/// <summary>The reply of <c>hello</c>: versions and capabilities.</summary>
public sealed record HelloResult(string Server, long Protocol, string Engine, ServerCapabilities Capabilities)
{
    internal static HelloResult Read(object? result)
    {
        var map = new ResultMap(result, "hello");
        return new(map.Text("server"), map.Long("protocol"), map.Text("engine"), ServerCapabilities.Read(map.Map("capabilities")));
    }
}

/// <summary>What a server offers (<c>hello</c>'s <c>capabilities</c>); limits absent from an older server read as 0.</summary>
public sealed record ServerCapabilities(
    string[] Methods,
    string[] Notifications,
    string Arrays,
    string[] Dtypes,
    string[] Integrators,
    string[] CheckpointableIntegrators,
    long MaxMessageBytes,
    long MaxDepth,
    long MaxParticles,
    long MaxRunsPerConnection,
    long Workers)
{
    internal static ServerCapabilities Read(object? result)
    {
        var map = new ResultMap(result, "hello.capabilities");
        long Optional(string key) => map.Has(key) ? map.Long(key) : 0;
        return new(map.Texts("methods"), map.Texts("notifications"), map.Text("arrays"), map.Texts("dtypes"),
            map.Texts("integrators"), map.Texts("checkpointable_integrators"), Optional("max_message_bytes"),
            Optional("max_depth"), Optional("max_particles"), Optional("max_runs_per_connection"), Optional("workers"));
    }
}

/// <summary>The reply of <c>validate</c>: the normalised spec as JSON text.</summary>
public sealed record ValidateResult(string Spec)
{
    internal static ValidateResult Read(object? result) => new(new ResultMap(result, "validate").Text("spec"));
}

/// <summary>The reply of <c>forces</c>: energy E_n, velocities axis-major <c>[a][i]</c>, the evaluator's method and
/// its chosen parameters (the raw map, whose other keys depend on the method).</summary>
public sealed record ForcesResult(double Energy, double[][] Velocities, string Method, IDictionary<object, object?> Parameters)
{
    internal static ForcesResult Read(object? result)
    {
        var map = new ResultMap(result, "forces");
        var parameters = map.Map("parameters");
        return new(map.Double("energy"), map.Axes("velocities"), new ResultMap(parameters, "forces.parameters").Text("method"), parameters);
    }
}

/// <summary>A run summary (<c>start</c>, <c>advance</c>, <c>pause</c>, <c>cancel</c>, <c>list_runs</c>);
/// <see cref="Frame"/> is the last frame emitted, −1 before frame 0.</summary>
public sealed record RunSummary(long RunId, string Status, double T, long Frame, long N, string Integrator)
{
    internal static RunSummary Read(object? result, string method = "summary")
    {
        var map = new ResultMap(result, method);
        return new(map.Long("run_id"), map.Text("status"), map.Double("t"), map.Long("frame"), map.Long("n"), map.Text("integrator"));
    }
}

/// <summary>The observables of a run's last frame (<c>get_state</c>'s <c>observables</c>).</summary>
public sealed record RunObservables(
    double T,
    double Energy,
    double MaxSpeed,
    double[] Centroid,
    long BoundDipoles,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations)
{
    internal static RunObservables Read(object? result)
    {
        var map = new ResultMap(result, "get_state.observables");
        return new(map.Double("t"), map.Double("energy"), map.Double("max_speed"), map.Doubles("centroid"),
            map.Long("bound_dipoles"), map.Long("accepted_steps"), map.Long("rejected_steps"), map.Long("force_evaluations"));
    }
}

/// <summary>The reply of <c>get_state</c>: only the fields asked for are set (the others are null);
/// positions are axis-major <c>[a][i]</c>, wrapped into [0,1)^d; <see cref="Observables"/> is null before frame 0
/// and <see cref="Failure"/> null unless the run failed (check <see cref="Has"/> to tell asked from nil).</summary>
public sealed record RunState(
    long RunId,
    string? Status,
    double? T,
    long? Frame,
    long? N,
    int? Dimension,
    double[][]? Positions,
    int[]? Signs,
    RunObservables? Observables,
    string? Failure,
    IReadOnlySet<string> Fields)
{
    /// <summary>Whether the reply held <paramref name="field"/> (a wire name such as <c>observables</c>).</summary>
    public bool Has(string field) => Fields.Contains(field);

    internal static RunState Read(object? result)
    {
        var map = new ResultMap(result, "get_state");
        var fields = ((IDictionary<object, object?>)result!).Keys.Select(WireValues.TryString).OfType<string>().ToHashSet();
        bool Set(string key) => map.Has(key) && map.Raw(key) is not null;
        return new(
            map.Long("run_id"),
            Set("status") ? map.Text("status") : null,
            Set("t") ? map.Double("t") : null,
            Set("frame") ? map.Long("frame") : null,
            Set("n") ? map.Long("n") : null,
            Set("dimension") ? (int)map.Long("dimension") : null,
            Set("positions") ? map.Axes("positions") : null,
            Set("signs") ? map.Ints("signs") : null,
            Set("observables") ? RunObservables.Read(map.Raw("observables")) : null,
            Set("failure") ? map.Text("failure") : null,
            fields);
    }
}

/// <summary>The reply of <c>subscribe</c>: <see cref="Queue"/> is the server's per-connection notification queue length.</summary>
public sealed record SubscribeResult(long RunId, long Every, long Queue)
{
    internal static SubscribeResult Read(object? result)
    {
        var map = new ResultMap(result, "subscribe");
        return new(map.Long("run_id"), map.Long("every"), map.Long("queue"));
    }
}

/// <summary>The reply of <c>unsubscribe</c>: whether there was a subscription, and how many of its notifications the
/// connection's queue could not take.</summary>
public sealed record UnsubscribeResult(long RunId, bool Subscribed, long Dropped)
{
    internal static UnsubscribeResult Read(object? result)
    {
        var map = new ResultMap(result, "unsubscribe");
        return new(map.Long("run_id"), map.Bool("subscribed"), map.Long("dropped"));
    }
}
