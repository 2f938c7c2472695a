using HpcGB.Client;
using HpcGB.Host.Service;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>Many clients at once, each with many requests in flight: every reply reaches the call that asked.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task TwentyClientsTimesAHundredRequestsAllGetTheirOwnReplies()
    {
        await using var server = await TestServer.StartAsync();
        const int clients = 20, requests = 100;
        var work = Enumerable.Range(0, clients).Select(async c =>
        {
            await using var client = await server.ConnectAsync();
            long run = await client.CreateRunAsync(Specs.Small(n: 5 + c));
            // All requests of a client in flight together, interleaving three methods.
            var calls = Enumerable.Range(0, requests).Select(async k =>
            {
                switch (k % 3)
                {
                    case 0:
                        Assert.Equal(1, (await client.HelloAsync()).Protocol);
                        break;
                    case 1:
                        Assert.Equal(5 + c, (await client.GetStateAsync(run, "n")).N);
                        break;
                    default:
                        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync("advance", run, $"t{k}"));
                        Assert.Equal($"params[1] (t): expected a number, got str 't{k}'", error.Error.Message);
                        break;
                }
            });
            await Wait.For(Task.WhenAll(calls));
            return requests;
        });
        int[] done = await Task.WhenAll(work);
        Assert.Equal(clients * requests, done.Sum());
    }

    [Fact]
    public async Task RunsExecuteOnTheBoundedWorkerPoolAndQueueBeyondIt()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:Workers"] = "1" });
        await using var client = await server.ConnectAsync();
        long first = await client.CreateRunAsync(Specs.Long(n: 50));
        long second = await client.CreateRunAsync(Specs.Long(n: 50));
        await client.SubscribeAsync(first);
        await client.StartAsync(first);
        await Wait.Until(client.Notifications, "progress", first);
        await client.StartAsync(second);
        // One worker, busy with the first run: the second waits its turn.
        Assert.Equal("queued", (await client.GetStateAsync(second, "status")).Status);
        await Wait.For(client.CancelAsync(first));
        await Wait.For(client.PauseAsync(second));
        Assert.Equal("paused", (await client.GetStateAsync(second, "status")).Status);
    }

    [Fact]
    public async Task ASubscriberThatDoesNotReadLosesNotificationsNotMemory()
    {
        // No write loop runs: the connection's socket is as good as full.
        var outbox = new Outbox(maxInFlight: 2, notificationCapacity: 4, notificationBytes: 64 << 20, Budget(1L << 30));
        var subscriber = new Subscriber(new RpcConnection("slow", outbox, authenticated: true), every: 1);
        for (int k = 0; k < 10; k++)
        {
            subscriber.Send(new byte[1 << 20]);
        }
        Assert.Equal(6, subscriber.Dropped);
        Assert.Equal(6, outbox.Dropped);

        // Replies are never dropped; they are capped by the in-flight slots instead.
        await outbox.AcquireAsync(CancellationToken.None);
        await outbox.AcquireAsync(CancellationToken.None);
        var third = outbox.AcquireAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        outbox.Reply([0xc0]);
        outbox.Complete();
        await Wait.For(outbox.WriteLoopAsync(pipe.Writer, CancellationToken.None));
        await Wait.For(third);
        var written = await pipe.Reader.ReadAsync();
        Assert.Equal(1 + 4 * (1 << 20), written.Buffer.Length);
    }

    [Fact]
    public async Task TheNotificationQueueIsBoundedInBytesAndTheLastNotificationOfARunIsNeverDropped()
    {
        var budget = Budget(1L << 30);
        var outbox = new Outbox(maxInFlight: 2, notificationCapacity: 256, notificationBytes: 3 << 20, budget);
        var subscriber = new Subscriber(new RpcConnection("slow", outbox, authenticated: true), every: 1);
        for (int k = 0; k < 10; k++)
        {
            subscriber.Send(new byte[1 << 20]); // a large state notification per frame
        }
        Assert.Equal(7, subscriber.Dropped);
        Assert.Equal(3L << 20, budget.Used); // what is queued is held in the server's budget
        for (int k = 0; k < 300; k++)
        {
            outbox.Send([0x90]); // the last notification of a run (finished, failed, …): never dropped
        }

        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        outbox.Complete();
        await Wait.For(outbox.WriteLoopAsync(pipe.Writer, CancellationToken.None));
        var written = await pipe.Reader.ReadAsync();
        Assert.Equal(300 + 3 * (1 << 20), written.Buffer.Length);
        Assert.Equal(0, budget.Used);
    }

    [Fact]
    public void NotificationsAreDroppedWhenTheServersBudgetIsSpent()
    {
        var budget = Budget(64L << 20);
        using var taken = budget.TryReserve((64L << 20) - (1 << 20));
        var outbox = new Outbox(maxInFlight: 2, notificationCapacity: 256, notificationBytes: 64 << 20, budget);
        Assert.True(outbox.TryNotify(new byte[1 << 19]));
        Assert.False(outbox.TryNotify(new byte[1 << 20]));
        Assert.Equal(1, outbox.Dropped);
    }

    private static MemoryBudget Budget(long bytes) =>
        new(Microsoft.Extensions.Options.Options.Create(new ServiceOptions { MemoryBudgetBytes = bytes }));
}
