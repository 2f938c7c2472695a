using System.Buffers.Binary;
using System.Security.Cryptography;
using HpcGB.Client;
using HpcGB.Client.Wire;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Service;
using MessagePack;

namespace HpcGB.Host.Tests.Service;

/// <summary>Checkpoints: bit-identical restore, shutdown with running jobs, damaged files.</summary>
public sealed class CheckpointTests
{
    [Theory]
    [InlineData("dp45")]
    [InlineData("euler")]
    [InlineData("implicit")]
    [InlineData("auto")]
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
        Assert.Equal("paused", resumed.Status);
        Assert.Equal(0.0075, resumed.T);
        Assert.Equal(3, resumed.Frame);
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
            Assert.Equal(t, (await again.GetStateAsync(restored, "t")).T);
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

    [Fact]
    public async Task AVersion1CheckpointWithoutAHistoryStillRestoresExactly()
    {
        string spec = Specs.Small(n: 30, end: 0.02, outputs: 9);
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        long straight = await client.CreateRunAsync(spec);
        await Wait.For(client.AdvanceAsync(straight, 0.02));

        long interrupted = await client.CreateRunAsync(spec);
        await Wait.For(client.AdvanceAsync(interrupted, 0.0075));
        string id = await client.CheckpointAsync(interrupted);
        string path = Directory.GetFiles(server.CheckpointDirectory, id + ".*").Single();
        File.WriteAllBytes(path, AsVersion1(File.ReadAllBytes(path)));

        long restored = await client.RestoreAsync(id);
        await Wait.For(client.AdvanceAsync(restored, 0.02));
        var expected = await Positions(client, straight);
        var actual = await Positions(client, restored);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>The file as version 1 wrote it: the same payload without the integrator's history.</summary>
    private static byte[] AsVersion1(byte[] file)
    {
        const int header = 8 + 4 + 8 + 32;
        Assert.Equal(CheckpointFile.Version, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        var root = (IDictionary<object, object?>)MessagePackSerializer.Deserialize<object?>(file.AsMemory(header))!;
        Assert.True(((IDictionary<object, object?>)root["integrator"]!).Remove("history"));
        var payload = WireWriter.ToBytes(buffer =>
        {
            var writer = new MessagePackWriter(buffer);
            WireWriter.WriteValue(ref writer, root);
            writer.Flush();
        });
        var old = new byte[header + payload.Length];
        file.AsSpan(0, 8).CopyTo(old);
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(old.AsSpan(12), (ulong)payload.Length);
        SHA256.HashData(payload, old.AsSpan(20, 32));
        payload.CopyTo(old.AsSpan(header));
        return old;
    }

    /// <summary>The run's positions in C order (particle 0's x1, x2, then particle 1's, …), as on the wire.</summary>
    private static async Task<double[]> Positions(HpcgbClient client, long run)
    {
        double[][] axes = (await client.GetStateAsync(run, "positions")).Positions!;
        return Enumerable.Range(0, axes[0].Length).SelectMany(i => axes.Select(axis => axis[i])).ToArray();
    }
}
