using HpcGB.Client;
using HpcGB.Client.Wire;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Tests.Service;

/// <summary>Checkpoints: bit-identical restore, shutdown with running jobs, damaged files.</summary>
public sealed class CheckpointTests
{
    [Theory]
    [InlineData("dp45")]
    [InlineData("euler")]
    public async Task ARestoredRunEndsBitIdenticalToAnUninterruptedOne(string integrator)
    {
        string spec = Specs.Small(n: 30, end: 0.02, outputs: 9, integrator: integrator);
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        long straight = await client.CreateRunAsync(spec);
        await Wait.For(client.AdvanceAsync(straight, 0.02));

        long interrupted = await client.CreateRunAsync(spec);
        await Wait.For(client.AdvanceAsync(interrupted, 0.0075));
        string checkpoint = await client.CheckpointAsync(interrupted);
        await client.DeleteRunAsync(interrupted);
        long restored = await client.RestoreAsync(checkpoint);
        var resumed = await client.GetStateAsync(restored, "status", "t", "frame");
        Assert.Equal("paused", Wait.Text(resumed, "status"));
        Assert.Equal(0.0075, Wait.Double(resumed, "t"));
        Assert.Equal(3, Wait.Long(resumed, "frame"));
        await Wait.For(client.AdvanceAsync(restored, 0.02));

        var expected = await Positions(client, straight);
        var actual = await Positions(client, restored);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));

        // The service's segments are the output times, so it also matches the engine's runner bit for bit.
        var result = new SimulationRunner(SpecReader.Parse(spec)).Run(_ => { });
        var engine = Enumerable.Range(0, 30).SelectMany(i => new[] { Torus.Wrap(result.FinalState.Positions[0][i]), Torus.Wrap(result.FinalState.Positions[1][i]) });
        Assert.Equal(engine.Select(BitConverter.DoubleToInt64Bits), expected.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task ShutdownCheckpointsRunningJobsAndANewServerResumesThemExactly()
    {
        string checkpoints = TestServer.NewDirectory();
        string spec = Specs.Long(n: 60);
        string id;
        double t;
        await using (var first = await TestServer.StartAsync(checkpoints: checkpoints))
        {
            var client = await first.ConnectAsync();
            long run = await client.CreateRunAsync(spec);
            await client.SubscribeAsync(run);
            await client.StartAsync(run);
            await Wait.Until(client.Notifications, "progress", run);
            await Wait.Until(client.Notifications, "progress", run);

            await first.StopAsync(); // what SIGTERM does
            var shutdown = (await Wait.Until(client.Notifications, "shutdown", run))[^1].Params[0];
            id = Wait.Text(shutdown, "checkpoint_id");
            t = Wait.Double(shutdown, "t");
            Assert.True(t > 0);
            // The server closed the connection cleanly after telling us.
            await Wait.For(client.Completion);
            await Assert.ThrowsAsync<IOException>(() => client.HelloAsync());
            await client.DisposeAsync();
        }

        await using (var second = await TestServer.StartAsync(checkpoints: checkpoints))
        await using (var again = await second.ConnectAsync())
        {
            long restored = await again.RestoreAsync(id);
            Assert.Equal(t, Wait.Double(await again.GetStateAsync(restored, "t"), "t"));
            long fresh = await again.CreateRunAsync(spec);
            await Wait.For(again.AdvanceAsync(fresh, t));
            Assert.Equal(await Positions(again, fresh), await Positions(again, restored));

            double later = t + 0.03;
            await Wait.For(again.AdvanceAsync(fresh, later));
            await Wait.For(again.AdvanceAsync(restored, later));
            var expected = await Positions(again, fresh);
            var actual = await Positions(again, restored);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        }

        Directory.Delete(checkpoints, recursive: true);
    }

    [Fact]
    public async Task ADamagedCheckpointIsRefusedWithTheReason()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        long run = await client.CreateRunAsync(Specs.Small());
        string id = await client.CheckpointAsync(run);
        string path = Directory.GetFiles(server.CheckpointDirectory, id + ".*").Single();
        Assert.Empty(Directory.GetFiles(server.CheckpointDirectory, "*.tmp")); // renamed into place

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        var corrupt = await Assert.ThrowsAsync<RpcException>(() => client.RestoreAsync(id));
        Assert.Equal(ErrorCodes.RunFailed, corrupt.Code);
        Assert.Contains("SHA-256", corrupt.Error.Message, StringComparison.Ordinal);

        bytes[8] = 99; // version
        File.WriteAllBytes(path, bytes);
        var version = await Assert.ThrowsAsync<RpcException>(() => client.RestoreAsync(id));
        Assert.Contains("version 99", version.Error.Message, StringComparison.Ordinal);
    }

    private static async Task<double[]> Positions(HpcgbClient client, long run) =>
        HpcgbClient.Array(await client.GetStateAsync(run, "positions"), "positions").ToDoubles();
}
