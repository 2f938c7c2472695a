using HpcGB.Client;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Service;

/// <summary>The real <c>hpcgb serve</c> command: prints where it listens, serves, and on cancellation (what
/// SIGINT/SIGTERM do through System.CommandLine) stops cleanly with exit code 0.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task ServePrintsItsAddressServesAndStopsOnTermination()
    {
        using var files = new CliHarness();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var terminate = new CancellationTokenSource();
        var serving = HpcgbCli.InvokeAsync(
            ["serve", "--port", "0", "--checkpoint-dir", files.PathOf("checkpoints")],
            CliConsole.Captured(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr)),
            terminate.Token);

        int port = await PortAsync(stdout, stderr, serving);

        var client = await HpcgbClient.ConnectAsync("127.0.0.1", port);
        long run = await client.CreateRunAsync(Specs.Long(n: 40));
        await client.StartAsync(run);

        await terminate.CancelAsync();
        Assert.Equal(ExitCodes.Success, await Wait.For(serving));
        await Wait.For(client.Completion);
        await client.DisposeAsync();
        Assert.Single(Directory.GetFiles(files.PathOf("checkpoints"), "*.hpcgbckp"));
    }

    /// <summary>Waits for serve's "listening on" line and returns the port.</summary>
    internal static async Task<int> PortAsync(StringWriter stdout, StringWriter stderr, Task<int> serving)
    {
        string prefix = "hpcgb serve listening on tcp://127.0.0.1:";
        using var patience = new CancellationTokenSource(Wait.Patience);
        while (!stdout.ToString().Contains(prefix, StringComparison.Ordinal))
        {
            Assert.False(serving.IsCompleted, $"serve ended early: {stderr}");
            await Task.Delay(20, patience.Token);
        }
        return int.Parse(stdout.ToString().Split(prefix)[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
