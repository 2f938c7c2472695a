using System.Diagnostics;
using HpcGB.Client;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// Connections that hold the server without using it: idle ones, half-sent messages (slowloris), no token, token
/// guessing, and more connections than the limit. Each is closed with its reason; a fresh client is still served.
/// </summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task AnIdleConnectionIsClosedWithTheReason()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:IdleTimeoutSeconds"] = "1" });
        using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync(RawConnection.Request(1, "hello"));
        Assert.Null((await raw.ResponseAsync(1)).Error);
        Assert.Equal("idle for 1 s (Service:IdleTimeoutSeconds); closing", await ClosingReason(raw));
    }

    [Fact]
    public async Task AMessageThatNeverCompletesIsClosedAfterTheMessageTimeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:MessageTimeoutSeconds"] = "1" });
        using var raw = await RawConnection.OpenAsync(server.Port);
        byte[] hello = RawConnection.Request(1, "hello");
        await raw.SendAsync(hello[..3]); // and nothing more: slowloris
        Assert.StartsWith("a message has been arriving for more than 1 s", await ClosingReason(raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithATokenAConnectionThatDoesNotSendItInTimeIsClosed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Service:Token"] = "s3cret-token",
            ["Service:HelloTimeoutSeconds"] = "1",
        });
        using var raw = await RawConnection.OpenAsync(server.Port);
        Assert.StartsWith("no hello with the server's token within 1 s", await ClosingReason(raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtTheConnectionLimitTheConnectionIdleLongestMakesRoomForANewClient()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:MaxConnections"] = "3" });
        using var talker = await RawConnection.OpenAsync(server.Port);
        await talker.SendAsync(RawConnection.Request(1, "hello"));
        await talker.ResponseAsync(1);
        using var silent = await RawConnection.OpenAsync(server.Port);
        await Task.Delay(50);
        using var later = await RawConnection.OpenAsync(server.Port);

        await using var fresh = await server.ConnectAsync();
        Assert.Equal(1, (await Wait.For(fresh.HelloAsync())).Protocol);
        // The one that never sent a whole message went first; the others are still served.
        Assert.StartsWith("closed to admit a new connection", await ClosingReason(silent), StringComparison.Ordinal);
        await talker.SendAsync(RawConnection.Request(2, "hello"));
        Assert.Null((await talker.ResponseAsync(2)).Error);
    }

    [Fact]
    public async Task UnderALowOpenFileLimitACrowdCannotExhaustTheDescriptors()
    {
        Assert.True(File.Exists(Sweeps.MpiFactAttribute.HpcgbDll), $"{Sweeps.MpiFactAttribute.HpcgbDll} not built");
        // A process of its own, so that its descriptor limit (ulimit -n) can be low: 400, of which the runtime and
        // libraries hold about 160. Reaching it used to abort the server ("Out of memory.").
        var start = new ProcessStartInfo("bash", ["-c", $"ulimit -n 400 && exec dotnet {Sweeps.MpiFactAttribute.HpcgbDll} serve --port 0 --Service:MaxRuns 16"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var serve = Process.Start(start)!;
        var stderr = serve.StandardError.ReadToEndAsync();
        var crowd = new List<RawConnection>();
        try
        {
            string address = (await serve.StandardOutput.ReadLineAsync().WaitAsync(Wait.Patience))!;
            int port = int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            for (int k = 0; k < 300; k++)
            {
                var raw = await RawConnection.OpenAsync(port);
                if (k % 2 == 1)
                {
                    await raw.SendAsync([0x94, 0x00]); // a request begun and never finished
                }
                crowd.Add(raw);
            }
            // Connections are accepted in order: once this one is answered, the whole crowd has been admitted or
            // has made room, and nothing arriving later can push the fresh client out.
            using var marker = await RawConnection.OpenAsync(port);
            await marker.SendAsync(RawConnection.Request(1, "hello"));
            Assert.Null((await marker.ResponseAsync(1)).Error);

            await using var fresh = await HpcgbClient.ConnectAsync("127.0.0.1", port);
            Assert.Equal(1, (await Wait.For(fresh.HelloAsync())).Protocol);
            Assert.False(serve.HasExited);
        }
        finally
        {
            crowd.ForEach(raw => raw.Dispose());
            serve.Kill();
            await serve.WaitForExitAsync();
        }
        string log = await stderr;
        Assert.Contains("serving at most", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Out of memory", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeWrongTokensCloseTheConnectionAndGuessesAreSlowedDownServerWide()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:Token"] = "s3cret-token" });
        using var raw = await RawConnection.OpenAsync(server.Port);
        for (uint id = 1; id <= 3; id++)
        {
            await raw.SendAsync(RawConnection.Request(id, "hello", new Dictionary<string, object?> { ["token"] = $"guess-{id}-xyz" }));
        }
        for (uint id = 1; id <= 3; id++)
        {
            Assert.Equal(ErrorCodes.Unauthorized, (await raw.ResponseAsync(id)).Error!.Code);
        }
        Assert.Equal("3 wrong tokens; closing", await ClosingReason(raw));

        // Ten guesses from ten connections at once are answered one after the other, 100 ms apart.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async k =>
        {
            await using var client = await server.ConnectAsync();
            await Assert.ThrowsAsync<RpcException>(() => client.HelloAsync($"wrong-guess-{k}"));
        }));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"10 wrong tokens answered in {clock.Elapsed}");
    }

    [Fact]
    public async Task TheTokenMayComeFromAFile()
    {
        using var files = new CliHarness();
        string tokenFile = files.WriteText("token", "s3cret-from-file\n");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:TokenFile"] = tokenFile });
        await using var client = await server.ConnectAsync();
        Assert.Equal(1, (await client.HelloAsync("s3cret-from-file")).Protocol);

        var both = CliHarness.Run("serve", "--token-file", tokenFile, "--Service:Token", "another-token");
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("error: Service:TokenFile: set either Token or TokenFile, not both\n", both.Stderr);
        var missing = CliHarness.Run("serve", "--token-file", files.PathOf("nothing"));
        Assert.Equal($"error: Service:TokenFile: {files.PathOf("nothing")} does not exist\n", missing.Stderr);
    }

    /// <summary>The message of the <c>error</c> notification the server sends as it closes the connection.</summary>
    private static async Task<string> ClosingReason(RawConnection raw)
    {
        string? reason = null;
        while (await raw.ReceiveAsync() is { } message)
        {
            if (message is RpcNotification { Method: "error" } error)
            {
                reason = WireValues.TryString(((object?[])error.Params[0]!)[1]);
            }
        }
        return reason ?? "(closed without a reason)";
    }
}
