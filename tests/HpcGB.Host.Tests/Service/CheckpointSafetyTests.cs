using System.Buffers.Binary;
using System.Security.Cryptography;
using HpcGB.Client;
using HpcGB.Client.Wire;
using HpcGB.Host.Cli;
using HpcGB.Host.Service;
using HpcGB.Host.Tests.Support;
using MessagePack;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// Checkpoint files that were tampered with, damaged or half-written: the header is covered by the hash, the content
/// is checked on restore, a failed write leaves nothing behind, and a stop that cannot save a run says so.
/// </summary>
public sealed class CheckpointSafetyTests
{
    private const int Header = 8 + 4 + 8 + 32;

    [Fact]
    public async Task AChangedVersionInTheHeaderIsCaughtByTheHash()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var (id, path) = await CheckpointAsync(server, client, "implicit");
        byte[] file = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 2);
        File.WriteAllBytes(path, file);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RestoreAsync(id));
        Assert.Equal(ErrorCodes.RunFailed, refused.Code);
        Assert.Contains("SHA-256", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOlderFileRelabelledAsVersion1WouldLoseItsHistoryAndIsRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var (id, path) = await CheckpointAsync(server, client, "implicit");
        byte[] payload = File.ReadAllBytes(path)[Header..];
        File.WriteAllBytes(path, Legacy(payload, version: 2));
        long restored = await client.RestoreAsync(id); // a genuine version 2 file still reads
        await client.DeleteRunAsync(restored);

        File.WriteAllBytes(path, Legacy(payload, version: 1)); // the payload-only hash still matches
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RestoreAsync(id));
        Assert.Equal(ErrorCodes.RunFailed, refused.Code);
        Assert.Contains("history", refused.Error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Damage => new()
    {
        { "nan position", "positions[0][0]: must be finite, got NaN" },
        { "nan time", "time: must be a finite number ≥ 0, got NaN" },
        { "sign 5", "signs[0]: must be 1 or -1, got 5" },
        { "negative frame", "next_frame: must be 0" },
        { "time beyond end", "time: 5 is beyond the spec's time.end" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task ContentWithAValidHashIsStillCheckedOnRestore(string damage, string message)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var (id, path) = await CheckpointAsync(server, client, "dp45");
        var root = (IDictionary<object, object?>)MessagePackSerializer.Deserialize<object?>(File.ReadAllBytes(path).AsMemory(Header))!;
        switch (damage)
        {
            case "nan position":
                BinaryPrimitives.WriteDoubleLittleEndian(NdData(root["positions"]), double.NaN);
                break;
            case "nan time":
                root["time"] = double.NaN;
                break;
            case "sign 5":
                NdData(root["signs"])[0] = 5;
                break;
            case "negative frame":
                root["next_frame"] = -1;
                break;
            default:
                root["time"] = 5.0;
                break;
        }
        File.WriteAllBytes(path, CheckpointFile.Seal(Encode(root)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RestoreAsync(id));
        Assert.Equal(ErrorCodes.RunFailed, refused.Code);
        Assert.Contains(message, refused.Error.Message, StringComparison.Ordinal);
    }

    [FullDiskFact]
    public async Task AWriteThatRunsOutOfSpaceLeavesNoTemporaryFileAndTheNextCheckpointSucceeds()
    {
        using var disk = SmallFileSystem.Mount(kilobytes: 64);
        await using var server = await TestServer.StartAsync(checkpoints: disk.Path);
        await using var client = await server.ConnectAsync();
        long large = await client.CreateRunAsync(Specs.Small(n: 6000));
        var full = await Assert.ThrowsAsync<RpcException>(() => client.CheckpointAsync(large));
        Assert.Equal(ErrorCodes.RunFailed, full.Code);
        Assert.Contains("No space left on device", full.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(disk.Path));

        long small = await client.CreateRunAsync(Specs.Small(n: 30));
        string id = await client.CheckpointAsync(small);
        Assert.Equal([Path.Combine(disk.Path, id + ".hpcgbckp")], Directory.GetFiles(disk.Path));
    }

    [Fact]
    public async Task TemporaryFilesOfAKilledServerAreRemovedAtStart()
    {
        string directory = TestServer.NewDirectory();
        Directory.CreateDirectory(directory);
        int dead = DeadProcessId();
        string stale = Path.Combine(directory, $"{new string('a', 32)}.hpcgbckp.{dead}.tmp");
        string live = Path.Combine(directory, $"{new string('b', 32)}.hpcgbckp.1.tmp"); // pid 1 runs: maybe a write in progress
        File.WriteAllBytes(stale, new byte[100]);
        File.WriteAllBytes(live, new byte[100]);
        await using (var server = await TestServer.StartAsync(checkpoints: directory))
        {
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
        }
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task AStopThatCannotSaveARunExitsWithCodeOneNamingIt()
    {
        using var files = new CliHarness();
        string notADirectory = files.WriteText("checkpoints", "a file where the checkpoint directory should be");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var terminate = new CancellationTokenSource();
        var serving = HpcgbCli.InvokeAsync(
            ["serve", "--port", "0", "--checkpoint-dir", notADirectory],
            CliConsole.Captured(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr)),
            terminate.Token);
        int port = await ServeCommandTests.PortAsync(stdout, stderr, serving);
        var client = await HpcgbClient.ConnectAsync("127.0.0.1", port);
        long run = await client.CreateRunAsync(Specs.Small());

        await terminate.CancelAsync();
        Assert.Equal(ExitCodes.RuntimeFailure, await Wait.For(serving));
        Assert.Contains($"error: run {run} (t = 0) was not checkpointed at shutdown:", stderr.ToString(), StringComparison.Ordinal);
        await client.DisposeAsync();
    }

    /// <summary>A paused run of the given integrator, advanced a little, then checkpointed: its id and file.</summary>
    private static async Task<(string Id, string Path)> CheckpointAsync(TestServer server, HpcgbClient client, string integrator)
    {
        long run = await client.CreateRunAsync(Specs.Small(n: 20, end: 0.02, outputs: 9, integrator: integrator));
        await Wait.For(client.AdvanceAsync(run, 0.0075));
        string id = await client.CheckpointAsync(run);
        return (id, Directory.GetFiles(server.CheckpointDirectory, id + ".*").Single());
    }

    /// <summary>The layout of versions 1 and 2: the same header, the SHA-256 of the payload alone.</summary>
    private static byte[] Legacy(byte[] payload, uint version)
    {
        var file = new byte[Header + payload.Length];
        "HPCGBCKP"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)payload.Length);
        SHA256.HashData(payload, file.AsSpan(20, 32));
        payload.CopyTo(file.AsSpan(Header));
        return file;
    }

    private static byte[] NdData(object? ndarray) =>
        (byte[])((IDictionary<object, object?>)ndarray!).Single(entry => entry.Key is byte[] key && key.AsSpan().SequenceEqual("data"u8)).Value!;

    private static byte[] Encode(object root) => WireWriter.ToBytes(buffer =>
    {
        var writer = new MessagePackWriter(buffer);
        WireWriter.WriteValue(ref writer, root);
        writer.Flush();
    });

    private static int DeadProcessId()
    {
        for (int pid = 4_000_000; ; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }
    }
}
