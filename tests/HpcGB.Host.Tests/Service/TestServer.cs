using HpcGB.Client;
using HpcGB.Host.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// A real <c>hpcgb serve</c> host in-process on 127.0.0.1 with a free port (port 0) and its own checkpoint
/// directory; <see cref="StopAsync"/> is what SIGTERM does.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly StringWriter _log;
    private readonly bool _ownsCheckpoints;
    private bool _stopped;

    private TestServer(IHost host, string checkpoints, bool ownsCheckpoints, StringWriter log)
    {
        _host = host;
        CheckpointDirectory = checkpoints;
        _ownsCheckpoints = ownsCheckpoints;
        _log = log;
    }

    public string CheckpointDirectory { get; }

    public int Port => _host.Services.GetRequiredService<ServiceEndpoint>().Port;

    /// <summary>What the server logged (warnings and errors, unless started with a lower level).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a server; <paramref name="settings"/> are <c>Service:*</c> overrides (as on the command line).
    /// Without <paramref name="checkpoints"/> it uses a fresh directory and deletes it when disposed.</summary>
    public static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, string? checkpoints = null, LogLevel level = LogLevel.Warning)
    {
        bool owns = checkpoints is null;
        checkpoints ??= NewDirectory();
        var merged = new Dictionary<string, string?>
        {
            ["Service:Port"] = "0",
            ["Service:CheckpointDirectory"] = checkpoints,
            ["Service:ShutdownTimeoutSeconds"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }
        var log = new StringWriter();
        var host = ServiceHost.Build(settingsFile: null, merged, TextWriter.Synchronized(log), level);
        await host.StartAsync().ConfigureAwait(false);
        return new TestServer(host, checkpoints, owns, log);
    }

    public Task<HpcgbClient> ConnectAsync() => HpcgbClient.ConnectAsync("127.0.0.1", Port);

    /// <summary>Waits (up to <see cref="Wait.Patience"/>) until the log contains <paramref name="text"/>.</summary>
    public async Task<bool> LoggedAsync(string text)
    {
        using var patience = new CancellationTokenSource(Wait.Patience);
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (patience.IsCancellationRequested)
            {
                return false;
            }
            await Task.Delay(20, CancellationToken.None);
        }
        return true;
    }

    /// <summary>Graceful stop, as on SIGTERM: runs checkpointed, subscribers told, connections closed.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _host.Dispose();
        if (_ownsCheckpoints && Directory.Exists(CheckpointDirectory))
        {
            Directory.Delete(CheckpointDirectory, recursive: true);
        }
    }

    /// <summary>A new scratch directory path (not created).</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "hpcgb-service-tests", Guid.NewGuid().ToString("N"));
}
