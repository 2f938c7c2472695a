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
                        Assert.Equal(1, Wait.Long(await client.HelloAsync(), "protocol"));
                        break;
                    case 1:
                        Assert.Equal(5 + c, Wait.Long(await client.GetStateAsync(run, "n"), "n"));
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
        Assert.Equal("queued", Wait.Text(await client.GetStateAsync(second, "status"), "status"));
        await Wait.For(client.CancelAsync(first));
        await Wait.For(client.PauseAsync(second));
        Assert.Equal("paused", Wait.Text(await client.GetStateAsync(second, "status"), "status"));
    }

    [Fact]
    public async Task ASubscriberThatDoesNotReadLosesNotificationsNotMemory()
    {
        // No write loop runs: the connection's socket is as good as full.
        var outbox = new Outbox(maxInFlight: 2, notificationCapacity: 4);
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
}
