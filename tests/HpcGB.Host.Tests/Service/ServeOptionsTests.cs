using HpcGB.Client;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary><c>hpcgb serve</c> settings: validation at start (exit code 2 naming the setting), token, Unix socket.</summary>
public sealed class ServeOptionsTests
{
    [Theory]
    [InlineData("--port", "70000", "Service:Port: must be 0…65535, got 70000")]
    [InlineData("--workers", "0", "Service:Workers: must be 1…1024, got 0")]
    [InlineData("--host", "0.0.0.0", "Service:Token: required when listening on the non-loopback address 0.0.0.0")]
    [InlineData("--host", "localhost-ish", "Service:Host: must be an IP address")]
    [InlineData("--Service:MaxDepth", "1000", "Service:MaxDepth: must be 4…256, got 1000")]
    public void ABadSettingExitsWithCodeTwoNamingIt(string option, string value, string message)
    {
        var result = CliHarness.Run("serve", option, value);
        Assert.Equal(2, result.ExitCode);
        // One line naming the setting: no host start-up failure with its stack trace before it.
        Assert.StartsWith($"error: {message}", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AValueOfTheWrongTypeExitsWithCodeTwoNamingIt()
    {
        var result = CliHarness.Run("serve", "--port", "seven");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Service:Port", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsFileIsOverriddenByTheCommandLine()
    {
        using var files = new CliHarness();
        // The file's Workers = 0 is bad, but the command line's value wins; the file's bad MaxRuns is reported.
        string settings = files.WriteText("appsettings.json", """{ "Service": { "Workers": 0, "MaxRuns": 0 } }""");
        var result = CliHarness.Run("serve", "--config", settings, "--workers", "3");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Workers", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error: Service:MaxRuns: must be positive, got 0", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithATokenEveryCallButHelloNeedsIt()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:Token"] = "s3cret-token" });
        await using var client = await server.ConnectAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ListRunsAsync());
        Assert.Equal(ErrorCodes.Unauthorized, refused.Code);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.HelloAsync("s3cret-tokeN"));
        Assert.Equal(ErrorCodes.Unauthorized, wrong.Code);
        Assert.Contains("token", wrong.Error.Message, StringComparison.Ordinal);
        await client.HelloAsync("s3cret-token");
        Assert.Empty(await client.ListRunsAsync());
    }

    [Fact]
    public void AUnixSocketPathThatIsARegularFileIsRefusedAndTheFileKept()
    {
        using var files = new CliHarness();
        string empty = files.WriteText("empty", "");
        var result = CliHarness.Run("serve", "--unix-socket", empty);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: Service:UnixSocket: {empty} exists and is a regular file, not a socket; remove it or choose another path\n", result.Stderr);
        Assert.True(File.Exists(empty));
    }

    [Fact]
    public async Task ASocketLeftByAGoneServerIsReplacedAndOneInUseIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-{Guid.NewGuid():N}"[..20] + ".sock");
        using (var left = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            left.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path)); // bound, never listening, then closed: a stale file
        }
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:UnixSocket"] = path });
        await using var client = await HpcgbClient.ConnectUnixAsync(path);
        Assert.Equal(1, (await client.HelloAsync()).Protocol);

        var second = CliHarness.Run("serve", "--unix-socket", path);
        Assert.Equal(2, second.ExitCode);
        Assert.Equal($"error: Service:UnixSocket: {path} is in use by a running server\n", second.Stderr);
    }

    [Fact]
    public async Task AUnixSocketServesTheSameProtocol()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-{Guid.NewGuid():N}"[..20] + ".sock");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:UnixSocket"] = path });
        await using var client = await HpcgbClient.ConnectUnixAsync(path);
        Assert.Equal(1, (await client.HelloAsync()).Protocol);
    }
}
