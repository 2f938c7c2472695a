using System.Net.Sockets;
using HpcGB.Client.Wire;
using Microsoft.Extensions.Logging;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// No reply is lost: msgids and types beyond 64-bit signed integers, a client that half-closes after sending, and
/// thousands of pipelined invalid requests all get their answers; a client that is gone has its long requests cancelled.
/// </summary>
public sealed class ReplyTests
{
    [Theory]
    [InlineData("msgid")]
    [InlineData("type")]
    public async Task AUInt64BeyondLongGetsAnErrorAndTheConnectionStaysOpen(string field)
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.OpenAsync(server.Port);
        byte[] huge = [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe];
        byte[] hello = [0xa5, .. "hello"u8, 0x90];
        await raw.SendAsync(field == "msgid" ? [0x94, 0x00, .. huge, .. hello] : [0x94, .. huge, 0x01, .. hello]);

        var error = Assert.IsType<RpcNotification>(await raw.ReceiveAsync());
        Assert.Equal("error", error.Method);
        var body = (object?[])error.Params[0]!;
        Assert.Equal((long)ErrorCodes.InvalidMessage, WireValues.TryLong(body[0]));
        Assert.Contains("18446744073709551614", WireValues.TryString(body[1]), StringComparison.Ordinal);

        await raw.SendAsync(RawConnection.Request(7, "hello"));
        Assert.Null((await raw.ResponseAsync(7)).Error);
    }

    [Fact]
    public async Task ABrokenResponseFromTheClientIsNeverAnsweredUnderItsMsgId()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.OpenAsync(server.Port);
        // [1, 9, {nil: 1}, nil]: a response (clients send none) whose error map has a key that cannot be read.
        await raw.SendAsync([0x94, 0x01, 0x09, 0x81, 0xc0, 0x01, 0xc0, .. RawConnection.Request(10, "hello")]);

        var error = Assert.IsType<RpcNotification>(await raw.ReceiveAsync());
        Assert.Equal("error", error.Method);
        Assert.Equal(10u, Assert.IsType<RpcResponse>(await raw.ReceiveAsync()).MsgId);
    }

    [Fact]
    public async Task AClientThatHalfClosesAfterSendingGetsEveryReply()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync([
            .. RawConnection.Request(1, "hello"),
            .. RawConnection.Request(2, "forces", Specs.Small(n: 400)),
            .. RawConnection.Request(3, "validate", Specs.Small()),
            .. RawConnection.Request(4, "no_such_method")]);
        raw.Shutdown(SocketShutdown.Send);

        var replies = new List<uint>();
        while (await raw.ReceiveAsync() is { } message)
        {
            if (message is RpcResponse response)
            {
                replies.Add(response.MsgId);
            }
        }
        Assert.Equal([1u, 2u, 3u, 4u], replies.Order());
    }

    [Fact]
    public async Task ThousandsOfPipelinedInvalidRequestsEachGetExactlyOneReply()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawConnection.OpenAsync(server.Port);
        const int count = 6000;
        var bytes = new List<byte>();
        for (uint id = 0; id < count; id++)
        {
            // Alternately a bad envelope (method not a name) and a bad param: both carry their msgid.
            bytes.AddRange(id % 2 == 0 ? [0x94, 0x00, 0xce, .. BitConverter.GetBytes(id).Reverse(), 0x05, 0x90] : RawConnection.Request(id, "get_state", "x"));
        }
        var sending = raw.SendAsync([.. bytes]);
        var seen = new int[count];
        for (int k = 0; k < count; k++)
        {
            var response = Assert.IsType<RpcResponse>(await raw.ReceiveAsync());
            Assert.NotNull(response.Error);
            seen[response.MsgId]++;
        }
        await sending;
        Assert.All(seen, times => Assert.Equal(1, times));
    }

    [Fact]
    public async Task ALongForcesIsCancelledWhenItsClientCloses()
    {
        await using var server = await TestServer.StartAsync(level: LogLevel.Information);
        using (var raw = await RawConnection.OpenAsync(server.Port))
        {
            // Reference pair sums over 20000 particles: tens of seconds of work, within the admission limit.
            await raw.SendAsync(RawConnection.Request(1, "forces", Specs.Small(n: 20000)));
            await Task.Delay(300);
        }
        Assert.True(await server.LoggedAsync("the client is gone; cancelling its requests"), server.Log);
        Assert.True(await server.LoggedAsync("forces (msgid 1) cancelled"), server.Log);
    }
}
