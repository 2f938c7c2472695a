using HpcGB.Client.Wire;
using MessagePack;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// The byte stream: messages split anywhere, oversize and deeply nested messages, malformed input (an error
/// reply while the framing holds, a clean close when it does not), and fuzzing.
/// </summary>
public sealed class FramingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:MaxMessageBytes"] = "262144" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MessagesDeliveredOneByteAtATimeAreAnswered()
    {
        using var raw = await RawConnection.OpenAsync(_server.Port);
        byte[] two = [.. RawConnection.Request(7, "hello"), .. RawConnection.Request(8, "validate", Specs.Small())];
        await raw.SendByteByByteAsync(two);
        // Replies may come in either order.
        var replies = new[] { await raw.ReceiveAsync(), await raw.ReceiveAsync() }.Cast<RpcResponse>().OrderBy(r => r.MsgId).ToArray();
        Assert.Equal([7u, 8u], replies.Select(r => r.MsgId));
        Assert.All(replies, r => Assert.Null(r.Error));
    }

    [Fact]
    public void TheScannerFindsEveryMessageBoundaryWhateverTheSplit()
    {
        byte[] stream = [.. RawConnection.Request(1, "hello"), .. RawConnection.Request(2, "forces", Specs.Small()),
            .. RawConnection.Request(3, "x", NdArray.FromAxes([[1, 2], [3, 4]]), new Dictionary<string, object?> { ["k"] = new object?[] { 1.5, null, true } })];
        var scanner = new FrameScanner(1 << 20);
        var lengths = new List<long>();
        int start = 0;
        // Grow the visible buffer one byte at a time, as a socket might deliver it.
        for (int end = start + 1; end <= stream.Length; end++)
        {
            var status = scanner.Scan(new System.Buffers.ReadOnlySequence<byte>(stream, start, end - start));
            if (status == FrameStatus.Complete)
            {
                lengths.Add(scanner.Length);
                start += (int)scanner.Length;
                scanner.Reset();
            }
            else
            {
                Assert.Equal(FrameStatus.Incomplete, status);
            }
        }
        Assert.Equal(stream.Length, start);
        Assert.Equal(3, lengths.Count);
        Assert.Equal(RawConnection.Request(1, "hello").Length, lengths[0]);
    }

    [Fact]
    public async Task AnOversizeMessageClosesTheConnectionAndTheServerCarriesOn()
    {
        using (var raw = await RawConnection.OpenAsync(_server.Port))
        {
            await raw.SendAsync(RawConnection.Request(5, "validate", new string('x', 300_000)));
            var reply = await raw.ReceiveAsync();
            var response = Assert.IsType<RpcResponse>(reply);
            Assert.Equal(5u, response.MsgId);
            Assert.Equal(ErrorCodes.LimitExceeded, response.Error!.Code);
            Assert.Contains("MaxMessageBytes", response.Error.Message, StringComparison.Ordinal);
            Assert.True(await raw.ClosedAsync());
        }
        await AssertServerAnswersHello();
    }

    [Fact]
    public async Task ADeeplyNestedMessageGetsAnErrorReplyWithoutCrashingTheServer()
    {
        const int depth = 100_000;
        var bytes = new List<byte> { 0x94, 0x00, 0x0b, 0xa5 };
        bytes.AddRange("hello"u8.ToArray());
        bytes.Add(0x91);
        bytes.AddRange(Enumerable.Repeat((byte)0x91, depth - 1));
        bytes.Add(0xc0);
        using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync([.. bytes]);
        var response = await raw.ResponseAsync(11);
        Assert.Equal(ErrorCodes.LimitExceeded, response.Error!.Code);
        Assert.Contains("nested", response.Error.Message, StringComparison.Ordinal);
        // Framing held: the same connection still works.
        await raw.SendAsync(RawConnection.Request(12, "hello"));
        Assert.Null((await raw.ResponseAsync(12)).Error);
    }

    [Fact]
    public async Task MalformedButFramedMessagesGetErrorRepliesOnAnOpenConnection()
    {
        using var raw = await RawConnection.OpenAsync(_server.Port);
        // [0, 21, 42, []]: the method is not a name.
        await raw.SendAsync(Encode((ref MessagePackWriter w) => { w.WriteArrayHeader(4); w.Write(0); w.Write(21); w.Write(42); w.WriteArrayHeader(0); }));
        var badMethod = await raw.ResponseAsync(21);
        Assert.Equal(ErrorCodes.InvalidMessage, badMethod.Error!.Code);
        Assert.Contains("method", badMethod.Error.Message, StringComparison.Ordinal);

        // [0, 22, "hello", 5]: params not an array.
        await raw.SendAsync(Encode((ref MessagePackWriter w) => { w.WriteArrayHeader(4); w.Write(0); w.Write(22); w.Write("hello"); w.Write(5); }));
        Assert.Contains("params", (await raw.ResponseAsync(22)).Error!.Message, StringComparison.Ordinal);

        // A bare integer: no msgid, so the answer is an "error" notification.
        await raw.SendAsync(Encode((ref MessagePackWriter w) => w.Write(7)));
        var notification = Assert.IsType<RpcNotification>(await raw.ReceiveAsync());
        Assert.Equal("error", notification.Method);

        await raw.SendAsync(RawConnection.Request(23, "hello"));
        Assert.Null((await raw.ResponseAsync(23)).Error);
    }

    [Fact]
    public async Task BytesThatAreNotMessagePackCloseTheConnection()
    {
        using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync([0x94, 0x00, 0x01, 0xc1]);
        Assert.True(await raw.ClosedAsync());
        await AssertServerAnswersHello();
    }

    [Fact]
    public async Task FuzzedFramesNeverBreakTheServer()
    {
        var random = new Random(20261203);
        byte[][] seeds =
        [
            RawConnection.Request(1, "hello"),
            RawConnection.Request(2, "validate", Specs.Small()),
            RawConnection.Request(3, "get_state", 1, new[] { "status", "positions" }),
            RawConnection.Request(4, "forces", new Dictionary<string, object?> { ["dimension"] = 1, ["particles"] = new Dictionary<string, object?> { ["positions"] = NdArray.FromVector([0.1, 0.5]), ["signs"] = NdArray.FromSigns([1, -1]) } }),
        ];
        const int cases = 3000;
        int connections = 0;
        for (int batch = 0; batch < cases / 100; batch++)
        {
            using var raw = await RawConnection.OpenAsync(_server.Port);
            connections++;
            var bytes = new List<byte>();
            for (int k = 0; k < 100; k++)
            {
                bytes.AddRange(random.Next(3) == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Length)], random));
            }
            await raw.SendAsync([.. bytes]);
            // Whatever the server makes of it — replies, error notifications, a close — it must not hang or die.
            using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                while (await raw.ReceiveAsync().WaitAsync(quiet.Token) is not null)
                {
                }
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WireFormatException)
            {
                // Still open and waiting for more input: fine.
            }
        }
        Assert.Equal(cases / 100, connections);
        await AssertServerAnswersHello();
        // Every bad input was an expected failure: nothing reached the dispatcher's internal-error path.
        Assert.DoesNotContain("fail:", _server.Log, StringComparison.Ordinal);
    }

    private async Task AssertServerAnswersHello()
    {
        using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(RawConnection.Request(99, "hello"));
        var response = await raw.ResponseAsync(99);
        Assert.Null(response.Error);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Flips, inserts, deletes or overwrites a few bytes of a valid message.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }
        return [.. bytes];
    }

    private static byte[] Encode(WriteBody body) => WireWriter.ToBytes(b =>
    {
        var writer = new MessagePackWriter(b);
        body(ref writer);
        writer.Flush();
    });

    private delegate void WriteBody(ref MessagePackWriter writer);
}
