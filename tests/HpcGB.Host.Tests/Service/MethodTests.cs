using System.Text.Json;
using HpcGB.Client;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>Every method over real TCP on loopback, its result and its errors.</summary>
public sealed class MethodTests : ServerWithClient
{
    [Fact]
    public async Task HelloReportsVersionsAndCapabilities()
    {
        var hello = await Client.HelloAsync();
        Assert.Equal(1, hello.Protocol);
        Assert.Equal("hpcgb", hello.Server);
        Assert.False(string.IsNullOrEmpty(hello.Engine));
        Assert.Equal(15, hello.Capabilities.Methods.Length);
        var checkpointable = hello.Capabilities.CheckpointableIntegrators;
        Assert.Contains("dp45", checkpointable);
        Assert.Contains("euler", checkpointable);
        Assert.Contains("implicit", checkpointable);
    }

    [Fact]
    public async Task ValidateNormalisesAndNamesTheBadField()
    {
        string normalised = (await Client.ValidateAsync(Specs.Small())).Spec;
        Assert.Contains("\"integrator\":\"dp45\"", normalised, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ValidateAsync("""{ "dimension": 2, "particles": { "init": "uniform", "n": -3 } }"""));
        Assert.Equal(ErrorCodes.InvalidSpec, error.Code);
        Assert.StartsWith("$.particles.n:", error.Error.Message, StringComparison.Ordinal);

        // The implicit integrator's settings travel the same spec path (validate, create_run): kept, or refused by name.
        const string Implicit = """{ "dimension": 2, "particles": { "init": "uniform", "n": 4 }, "time": { "integrator": "implicit", "max_order": 5, "error": "per_unit_time" } }""";
        normalised = (await Client.ValidateAsync(Implicit)).Spec;
        Assert.Contains("\"max_order\":5,\"error\":\"per_unit_time\"", normalised, StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<RpcException>(() => Client.ValidateAsync(Implicit.Replace("implicit", "dp45", StringComparison.Ordinal)));
        Assert.Equal(ErrorCodes.InvalidSpec, error.Code);
        Assert.StartsWith("$.time.max_order:", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpecMayBeAMapWithNdArrayPositions()
    {
        var spec = new Dictionary<string, object?>
        {
            ["dimension"] = 2,
            ["particles"] = new Dictionary<string, object?>
            {
                ["positions"] = NdArray.FromAxes([[0.1, 0.6], [0.2, 0.7]]),
                ["signs"] = NdArray.FromSigns([1, -1]),
            },
            ["regularization"] = new Dictionary<string, object?> { ["delta"] = 0.05f }, // float32 where a double goes
            ["time"] = new Dictionary<string, object?> { ["end"] = 1 },                  // an integer where a double goes
        };
        string normalised = (await Client.ValidateAsync(spec)).Spec;
        using var json = JsonDocument.Parse(normalised);
        Assert.Equal(0.6, json.RootElement.GetProperty("particles").GetProperty("positions")[1][0].GetDouble());
        Assert.Equal((double)0.05f, json.RootElement.GetProperty("regularization").GetProperty("delta").GetDouble());
    }

    [Fact]
    public async Task ForcesMatchTheCliJsonBitForBit()
    {
        using var files = new CliHarness();
        string path = files.WriteText("spec.json", Specs.Small(n: 30));
        var cli = CliHarness.Run("forces", path, "--json");
        Assert.Equal(0, cli.ExitCode);
        using var expected = JsonDocument.Parse(cli.Stdout);

        var forces = await Client.ForcesAsync(Specs.Small(n: 30));
        Assert.Equal(expected.RootElement.GetProperty("energy").GetDouble(), forces.Energy);
        var velocities = forces.Velocities;
        Assert.Equal(2, velocities.Length);
        Assert.All(velocities, axis => Assert.Equal(30, axis.Length));
        var rows = expected.RootElement.GetProperty("velocities");
        for (int i = 0; i < 30; i++)
        {
            for (int a = 0; a < 2; a++)
            {
                Assert.Equal(rows[i][a].GetDouble(), velocities[a][i]);
            }
        }
        Assert.Equal(expected.RootElement.GetProperty("parameters").GetProperty("method").GetString(),
            forces.Method);
    }

    [Fact]
    public async Task ARunGoesFromCreatedThroughAdvanceAndStartToFinished()
    {
        long run = await Client.CreateRunAsync(Specs.Small(end: 0.01, outputs: 5));
        Assert.Equal("created", (await Client.GetStateAsync(run, "status")).Status);

        await Client.SubscribeAsync(run, every: 2);
        var paused = await Wait.For(Client.AdvanceAsync(run, 0.005));
        Assert.Equal("paused", paused.Status);
        Assert.Equal(0.005, paused.T);
        Assert.Equal(2, paused.Frame);

        var state = await Client.GetStateAsync(run, "positions", "signs", "observables", "n");
        var positions = state.Positions!;
        Assert.Equal(2, positions.Length);
        Assert.All(positions, axis => Assert.Equal(40, axis.Length));
        Assert.All(positions.SelectMany(axis => axis), x => Assert.InRange(x, 0, 1));
        Assert.All(state.Signs!, sign => Assert.True(sign is 1 or -1));
        Assert.Equal(40, state.Signs!.Length);
        Assert.Equal(40, state.N);
        Assert.Equal(0.005, state.Observables!.T);

        await Client.StartAsync(run);
        var seen = await Wait.Until(Client.Notifications, "finished", run);
        var frames = seen.Where(n => n.Method == "progress").Select(n => Wait.Long(n.Params[0], "frame")).ToList();
        Assert.Equal([0, 1, 2, 3, 4], frames);
        var states = seen.Where(n => n.Method == "state").Select(n => Wait.Long(n.Params[0], "frame")).ToList();
        Assert.Equal([0, 2, 4], states);
        Assert.Equal("finished", (await Client.GetStateAsync(run, "status")).Status);

        var unsubscribed = await Client.UnsubscribeAsync(run);
        Assert.True(unsubscribed.Subscribed);
        Assert.Equal(0, unsubscribed.Dropped);

        var again = await Assert.ThrowsAsync<RpcException>(() => Client.StartAsync(run));
        Assert.Equal(ErrorCodes.InvalidState, again.Code);
        Assert.Contains("finished", again.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseStopsARunningRunAtABoundaryAndStartResumesIt()
    {
        long run = await Client.CreateRunAsync(Specs.Long(n: 60));
        await Client.StartAsync(run);
        var paused = await Wait.For(Client.PauseAsync(run));
        Assert.Equal("paused", paused.Status);
        double t = paused.T;
        Assert.Equal(t, (await Client.GetStateAsync(run, "t")).T);
        await Client.StartAsync(run);
        await Wait.For(Client.CancelAsync(run));
    }

    [Fact]
    public async Task CancelStopsARunMidway()
    {
        long run = await Client.CreateRunAsync(Specs.Long());
        await Client.SubscribeAsync(run);
        await Client.StartAsync(run);
        await Wait.Until(Client.Notifications, "progress", run);
        var cancelled = await Wait.For(Client.CancelAsync(run));
        Assert.Equal("cancelled", cancelled.Status);
        Assert.True(cancelled.T < 1000);
        await Wait.Until(Client.Notifications, "cancelled", run);
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.AdvanceAsync(run, 999));
        Assert.Equal(ErrorCodes.InvalidState, error.Code);
    }

    [Fact]
    public async Task ListAndDeleteRuns()
    {
        long first = await Client.CreateRunAsync(Specs.Small());
        long second = await Client.CreateRunAsync(Specs.Small(integrator: "euler"));
        var list = await Client.ListRunsAsync();
        Assert.Equal([first, second], list.Select(r => r.RunId));
        Assert.Equal(["dp45", "euler"], list.Select(r => r.Integrator));
        Assert.True(await Client.DeleteRunAsync(first));
        Assert.Equal([second], (await Client.ListRunsAsync()).Select(r => r.RunId));
        var missing = await Assert.ThrowsAsync<RpcException>(() => Client.GetStateAsync(first));
        Assert.Equal(ErrorCodes.NotFound, missing.Code);
        Assert.Contains("run_id", missing.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorsNameTheOffendingParam()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("frobnicate"));
        Assert.Equal(ErrorCodes.UnknownMethod, unknown.Code);
        Assert.Contains("frobnicate", unknown.Error.Message, StringComparison.Ordinal);

        long run = await Client.CreateRunAsync(Specs.Small());
        var text = await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("advance", run, "soon"));
        Assert.Equal(ErrorCodes.InvalidParams, text.Code);
        Assert.Equal("params[1] (t): expected a number, got str 'soon'", text.Error.Message);

        var beyond = await Assert.ThrowsAsync<RpcException>(() => Client.AdvanceAsync(run, 5));
        Assert.Contains("time.end", beyond.Error.Message, StringComparison.Ordinal);

        var field = await Assert.ThrowsAsync<RpcException>(() => Client.GetStateAsync(run, "velocity"));
        Assert.Contains("unknown field 'velocity'", field.Error.Message, StringComparison.Ordinal);

        var every = await Assert.ThrowsAsync<RpcException>(() => Client.SubscribeAsync(run, 0));
        Assert.StartsWith("params[1] (every)", every.Error.Message, StringComparison.Ordinal);

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("list_runs", 1));
        Assert.Equal(ErrorCodes.InvalidParams, tooMany.Code);

        var badId = await Assert.ThrowsAsync<RpcException>(() => Client.RestoreAsync("../../etc/passwd"));
        Assert.StartsWith("params[0] (checkpoint_id)", badId.Error.Message, StringComparison.Ordinal);
        var noFile = await Assert.ThrowsAsync<RpcException>(() => Client.RestoreAsync(new string('a', 32)));
        Assert.Equal(ErrorCodes.NotFound, noFile.Code);
    }

    [Fact]
    public async Task MethodNamesAsBinAndMsgIdZeroAreAcceptedAndUnknownNotificationsIgnored()
    {
        using var raw = await RawConnection.OpenAsync(Server.Port);
        await raw.SendAsync(WireWriter.ToBytes(b => WireWriter.WriteNotification(b, "no_such_notification", [1, 2])));
        var bytes = WireWriter.ToBytes(b =>
        {
            var writer = new MessagePack.MessagePackWriter(b);
            writer.WriteArrayHeader(4);
            writer.Write(0);
            writer.Write(0);
            writer.Write("hello"u8); // bin
            writer.WriteArrayHeader(0);
            writer.Flush();
        });
        await raw.SendAsync(bytes);
        var response = await raw.ResponseAsync(0);
        Assert.Null(response.Error);
        Assert.Equal(1, Wait.Long(response.Result, "protocol"));
    }

    [Fact]
    public async Task PerConnectionRunLimitIsEnforced()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:MaxRunsPerConnection"] = "2" });
        await using var client = await server.ConnectAsync();
        await client.CreateRunAsync(Specs.Small());
        long second = await client.CreateRunAsync(Specs.Small());
        var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateRunAsync(Specs.Small()));
        Assert.Equal(ErrorCodes.LimitExceeded, error.Code);
        Assert.Contains("MaxRunsPerConnection", error.Error.Message, StringComparison.Ordinal);
        await client.DeleteRunAsync(second);
        await client.CreateRunAsync(Specs.Small());
    }

    [Fact]
    public async Task ParticleLimitIsEnforced()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:MaxParticles"] = "100" });
        await using var client = await server.ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => client.ForcesAsync(Specs.Small(n: 101)));
        Assert.Equal(ErrorCodes.LimitExceeded, error.Code);
        Assert.StartsWith("$.particles", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRunOptionsThatAreEmptyOrNameOutputsTwiceGetAnAnswer()
    {
        long plain = WireValues.TryLong(await Client.CallAsync("create_run", Specs.Small(), new Dictionary<string, object?>()))!.Value;
        Assert.Equal("created", (await Client.GetStateAsync(plain, "status")).Status);

        var twice = new Dictionary<object, object?> { ["outputs"] = "a", ["outputs"u8.ToArray()] = "b" };
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.CallAsync("create_run", Specs.Small(), twice));
        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Equal("params[1] (options): outputs given twice (as str and as bin)", refused.Error.Message);
    }
}
