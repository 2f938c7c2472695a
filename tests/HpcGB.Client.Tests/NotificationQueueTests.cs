using HpcGB.Client.Wire;

namespace HpcGB.Client.Tests;

/// <summary>An application that does not read <see cref="HpcgbClient.Notifications"/> loses progress notifications,
/// counted, not memory — and never a run's last notification.</summary>
public sealed class NotificationQueueTests
{
    [Fact]
    public async Task BeyondTheCountProgressIsDroppedAndTheFinalNotificationKept()
    {
        await using var server = await FakeServer.StartAsync(new HpcgbClientOptions { NotificationQueue = 10 });
        var stream = new List<byte>();
        for (int frame = 0; frame < 1000; frame++)
        {
            stream.AddRange(Notification("progress", frame, payload: 0));
        }
        stream.AddRange(Notification("finished", 1000, payload: 0));
        await server.SendAsync([.. stream]);
        await Synchronise(server);

        Assert.Equal(11, server.Client.Notifications.Count);
        Assert.Equal(990, server.Client.DroppedNotifications);
        var methods = Drain(server.Client).Select(n => n.Method).ToArray();
        Assert.Equal([.. Enumerable.Repeat("progress", 10), "finished"], methods);
    }

    [Fact]
    public async Task BeyondTheBytesStatesAreDroppedAndReadingMakesRoomAgain()
    {
        await using var server = await FakeServer.StartAsync(new HpcgbClientOptions { NotificationQueueBytes = 1000 });
        await server.SendAsync([.. Enumerable.Range(0, 100).SelectMany(frame => Notification("state", frame, payload: 300))]);
        await Synchronise(server);
        Assert.Equal(3, server.Client.Notifications.Count);
        Assert.Equal(97, server.Client.DroppedNotifications);

        Assert.Equal(3, Drain(server.Client).Length);
        await server.SendAsync(Notification("state", 100, payload: 300));
        await Synchronise(server);
        Assert.Equal(1, server.Client.Notifications.Count);
    }

    [Fact]
    public async Task OneNotificationLargerThanTheByteBoundStillArrives()
    {
        await using var server = await FakeServer.StartAsync(new HpcgbClientOptions { NotificationQueueBytes = 1000 });
        await server.SendAsync(Notification("state", 0, payload: 5000));
        await Synchronise(server);
        Assert.Single(Drain(server.Client));
        Assert.Equal(0, server.Client.DroppedNotifications);
    }

    private static byte[] Notification(string method, int frame, int payload) =>
        WireWriter.ToBytes(output => WireWriter.WriteNotification(output, method,
            [new Dictionary<string, object?> { ["run_id"] = 1, ["frame"] = frame, ["data"] = new byte[payload] }]));

    /// <summary>A call whose reply comes after everything sent so far: once it completes, all of it was handled.</summary>
    private static async Task Synchronise(FakeServer server)
    {
        var call = server.Client.CallAsync("list_runs");
        var request = await server.ReceiveAsync();
        await server.SendAsync(WireWriter.ToBytes(output => WireWriter.WriteResponse(output, request.MsgId, null, Array.Empty<object?>())));
        await call.WaitAsync(FakeServer.Patience);
    }

    private static RpcNotification[] Drain(HpcgbClient client)
    {
        var read = new List<RpcNotification>();
        while (client.Notifications.TryRead(out var notification))
        {
            read.Add(notification);
        }
        return [.. read];
    }
}
