using HpcGB.Client.Wire;

namespace HpcGB.Client.Tests;

/// <summary>
/// A server that breaks the protocol ends the connection on the client's side: every pending call fails with an
/// <see cref="IOException"/> naming the cause instead of waiting forever, and later calls fail at once.
/// </summary>
public sealed class BrokenServerTests
{
    public static TheoryData<string, byte[], string> Broken => new()
    {
        { "reserved byte", [0xc1], "not MessagePack" },
        { "oversize bin", [0xc6, 0x40, 0x00, 0x00, 0x00], "beyond 1048576 bytes" },
        { "no envelope", [0x91, 0x09], "invalid message" },
        { "huge msgid", [0x94, 0x01, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xc0], "invalid message" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task BytesThatBreakTheProtocolFailThePendingCallWithTheCause(string broken, byte[] bytes, string cause)
    {
        await using var server = await FakeServer.StartAsync(new HpcgbClientOptions { MaxMessageBytes = 1 << 20 });
        var call = server.Client.CallAsync("hello");
        await server.ReceiveAsync();
        await server.SendAsync(bytes);

        var failed = await Assert.ThrowsAsync<IOException>(() => call.WaitAsync(FakeServer.Patience));
        Assert.True(failed.Message.Contains(cause, StringComparison.Ordinal), $"{broken}: {failed.Message}");
        await server.Client.Completion.WaitAsync(FakeServer.Patience);
        var later = await Assert.ThrowsAsync<IOException>(() => server.Client.CallAsync("hello").WaitAsync(FakeServer.Patience));
        Assert.Contains(cause, later.Message, StringComparison.Ordinal);
        Assert.False(await server.Client.Notifications.WaitToReadAsync().AsTask().WaitAsync(FakeServer.Patience));
    }

    [Fact]
    public async Task AServerThatClosesFailsThePendingCallAndTheNextOne()
    {
        await using var server = await FakeServer.StartAsync();
        var call = server.Client.CallAsync("hello");
        await server.ReceiveAsync();
        server.CloseServerSide();

        var failed = await Assert.ThrowsAsync<IOException>(() => call.WaitAsync(FakeServer.Patience));
        Assert.Equal("the server closed the connection", failed.Message);
        await Assert.ThrowsAsync<IOException>(() => server.Client.CallAsync("hello").WaitAsync(FakeServer.Patience));
    }

    [Fact]
    public async Task AReplyStillCompletesItsCall()
    {
        await using var server = await FakeServer.StartAsync();
        var call = server.Client.CallAsync("hello");
        var request = await server.ReceiveAsync();
        Assert.Equal("hello", request.Method);
        await server.SendAsync(WireWriter.ToBytes(output => WireWriter.WriteResponse(output, request.MsgId, null, "ok")));
        Assert.Equal("ok", await call.WaitAsync(FakeServer.Patience));
    }
}
