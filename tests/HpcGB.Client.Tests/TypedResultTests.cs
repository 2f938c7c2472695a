using HpcGB.Client.Wire;

namespace HpcGB.Client.Tests;

/// <summary>
/// Each typed method decodes the reply that docs/protocol.md documents, leniently where the wire allows it: a double
/// sent as float32 or an integer, a string as bin, an ndarray of any accepted dtype.
/// </summary>
public sealed class TypedResultTests
{
    private static Dictionary<string, object?> Summary(object t, string status = "paused") => new()
    {
        ["run_id"] = 7,
        ["status"] = status,
        ["t"] = t,
        ["frame"] = -1,
        ["n"] = 2,
        ["integrator"] = "dp45",
    };

    /// <summary>Starts <paramref name="call"/>, checks its request names <paramref name="method"/>, replies with
    /// <paramref name="result"/> and returns what the call made of it.</summary>
    private static async Task<T> Reply<T>(FakeServer server, Func<HpcgbClient, Task<T>> call, string method, object? result)
    {
        var pending = call(server.Client);
        var request = await server.ReceiveAsync();
        Assert.Equal(method, request.Method);
        await server.SendAsync(WireWriter.ToBytes(output => WireWriter.WriteResponse(output, request.MsgId, null, result)));
        return await pending.WaitAsync(FakeServer.Patience);
    }

    [Fact]
    public async Task HelloDecodesVersionsAndCapabilities()
    {
        await using var server = await FakeServer.StartAsync();
        var hello = await Reply(server, client => client.HelloAsync(), "hello", new Dictionary<string, object?>
        {
            ["server"] = "hpcgb",
            ["protocol"] = (byte)1,
            ["engine"] = "0.1.0"u8.ToArray(),
            ["capabilities"] = new Dictionary<string, object?>
            {
                ["methods"] = new[] { "hello", "validate" },
                ["notifications"] = new[] { "progress" },
                ["arrays"] = "msgpack-numpy",
                ["dtypes"] = new[] { "<f8" },
                ["integrators"] = new[] { "dp45", "euler" },
                ["checkpointable_integrators"] = new[] { "dp45" },
                ["max_message_bytes"] = 67108864L,
                ["max_depth"] = 32,
                ["max_particles"] = 10000000,
                ["max_runs_per_connection"] = 16,
                ["workers"] = 2,
                ["memory_budget_bytes"] = 1L << 33,
            },
        });
        Assert.Equal(("hpcgb", 1L, "0.1.0"), (hello.Server, hello.Protocol, hello.Engine));
        Assert.Equal(["hello", "validate"], hello.Capabilities.Methods);
        Assert.Equal(["dp45"], hello.Capabilities.CheckpointableIntegrators);
        Assert.Equal(67108864, hello.Capabilities.MaxMessageBytes);
        Assert.Equal(2, hello.Capabilities.Workers);
    }

    [Fact]
    public async Task ValidateAndForcesDecode()
    {
        await using var server = await FakeServer.StartAsync();
        var validated = await Reply(server, client => client.ValidateAsync("{}"), "validate",
            new Dictionary<string, object?> { ["spec"] = """{"dimension":1}""" });
        Assert.Equal("""{"dimension":1}""", validated.Spec);

        // energy as an integer, velocities n×d float32 (axis-major on the client side).
        var velocities = new NdArray("<f4", [2, 2], [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f),
            .. BitConverter.GetBytes(3f), .. BitConverter.GetBytes(-0.5f)]);
        var forces = await Reply(server, client => client.ForcesAsync("{}"), "forces", new Dictionary<string, object?>
        {
            ["energy"] = -3,
            ["velocities"] = velocities,
            ["parameters"] = new Dictionary<string, object?> { ["method"] = "reference", ["alpha"] = 0.5 },
        });
        Assert.Equal(-3.0, forces.Energy);
        Assert.Equal([[1.0, 3.0], [2.0, -0.5]], forces.Velocities);
        Assert.Equal("reference", forces.Method);
        Assert.Equal(0.5, WireValues.TryDouble(HpcgbClient.Field(forces.Parameters, "alpha")));
    }

    [Fact]
    public async Task SummariesDecodeWithTimesAsFloat32OrInteger()
    {
        await using var server = await FakeServer.StartAsync();
        var started = await Reply(server, client => client.StartAsync(7), "start", Summary(0, "queued"));
        Assert.Equal(new RunSummary(7, "queued", 0.0, -1, 2, "dp45"), started);
        Assert.Equal(0.25, (await Reply(server, client => client.AdvanceAsync(7, 0.25), "advance", Summary(0.25f))).T);
        Assert.Equal(1.0, (await Reply(server, client => client.PauseAsync(7), "pause", Summary((ushort)1))).T);
        Assert.Equal("cancelled", (await Reply(server, client => client.CancelAsync(7), "cancel", Summary(0.5, "cancelled"))).Status);

        var runs = await Reply(server, client => client.ListRunsAsync(), "list_runs", new object?[] { Summary(0.5), Summary(2L) });
        Assert.Equal([0.5, 2.0], runs.Select(run => run.T));
        Assert.Empty(await Reply(server, client => client.ListRunsAsync(), "list_runs", Array.Empty<object?>()));
        Assert.True(await Reply(server, client => client.DeleteRunAsync(7), "delete_run", true));
    }

    [Fact]
    public async Task StateDecodesOnlyTheFieldsSentAndArraysOfAnyDtype()
    {
        await using var server = await FakeServer.StartAsync();
        var brief = await Reply(server, client => client.GetStateAsync(7), "get_state",
            new Dictionary<string, object?> { ["run_id"] = 7, ["status"] = "created", ["t"] = 0, ["frame"] = -1 });
        Assert.Equal((7L, "created", 0.0, -1L), (brief.RunId, brief.Status, brief.T!.Value, brief.Frame!.Value));
        Assert.Null(brief.Positions);
        Assert.False(brief.Has("observables"));

        var full = await Reply(server, client => client.GetStateAsync(7, "positions", "signs", "observables", "n", "dimension", "failure"),
            "get_state", new Dictionary<string, object?>
            {
                ["run_id"] = 7,
                ["n"] = 2,
                ["dimension"] = 1,
                ["positions"] = NdArray.FromAxes([[0.1, 0.6]]),
                ["signs"] = NdArray.FromSigns([1, -1]),
                ["observables"] = new Dictionary<string, object?>
                {
                    ["t"] = 1, ["energy"] = 2.5f, ["max_speed"] = 3.0, ["centroid"] = new object?[] { 0.5, 1 },
                    ["bound_dipoles"] = 1, ["accepted_steps"] = 10, ["rejected_steps"] = 0, ["force_evaluations"] = 61,
                },
                ["failure"] = null,
            });
        Assert.Equal([[0.1, 0.6]], full.Positions!);
        Assert.Equal([1, -1], full.Signs!);
        Assert.Equal((2L, 1), (full.N!.Value, full.Dimension!.Value));
        var observables = full.Observables!;
        Assert.Equal(new RunObservables(1.0, 2.5, 3.0, observables.Centroid, 1, 10, 0, 61), observables);
        Assert.Equal([0.5, 1.0], observables.Centroid);
        Assert.True(full.Has("failure"));
        Assert.Null(full.Failure);
    }

    [Fact]
    public async Task SubscriptionsDecode()
    {
        await using var server = await FakeServer.StartAsync();
        var subscribed = await Reply(server, client => client.SubscribeAsync(7, every: 2), "subscribe",
            new Dictionary<string, object?> { ["run_id"] = 7, ["every"] = 2, ["queue"] = 1024 });
        Assert.Equal(new SubscribeResult(7, 2, 1024), subscribed);
        var unsubscribed = await Reply(server, client => client.UnsubscribeAsync(7), "unsubscribe",
            new Dictionary<string, object?> { ["run_id"] = 7, ["subscribed"] = true, ["dropped"] = (sbyte)3 });
        Assert.Equal(new UnsubscribeResult(7, true, 3), unsubscribed);
    }

    [Fact]
    public async Task AMistypedFieldNamesTheMethodAndField()
    {
        await using var server = await FakeServer.StartAsync();
        var bad = Summary("soon");
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => Reply(server, client => client.StartAsync(7), "start", bad));
        Assert.Equal("start: 't' must be a number, got str 'soon'", error.Message);
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => Reply(server, client => client.SubscribeAsync(7), "subscribe",
            new Dictionary<string, object?> { ["run_id"] = 7 }));
        Assert.Equal("subscribe: result has no field 'every'", missing.Message);
    }
}
