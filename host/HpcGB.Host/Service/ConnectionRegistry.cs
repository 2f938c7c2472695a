using System.Collections.Concurrent;
using HpcGB.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// The open connections: admits new ones up to <see cref="Limit"/>, closes those that stall or idle, and closes them
/// all at shutdown. At the limit a new client is still served if some connection is doing nothing for anyone (no
/// request in flight, no subscription): the one idle longest — one that never finished a message first — is closed
/// to make room, so idle or half-sent connections cannot lock fresh clients out. Every second a sweep closes
/// connections whose message has been arriving for longer than <see cref="ServiceOptions.MessageTimeoutSeconds"/>
/// (slowloris), that have not sent the token within <see cref="ServiceOptions.HelloTimeoutSeconds"/>, or that have
/// been idle for <see cref="ServiceOptions.IdleTimeoutSeconds"/>.
/// </summary>
internal sealed class ConnectionRegistry : IDisposable
{
    /// <summary>File descriptors kept free beyond those open at start and one per run (a run's output file), for
    /// checkpoints being written, restores and what the runtime opens later.</summary>
    private const int SpareDescriptors = 128;

    /// <summary>Sockets beyond <see cref="Limit"/> that may be open at once: connections being closed to make
    /// room, and new ones not yet admitted or refused.</summary>
    private const int ClosingSlack = 64;

    private readonly ConcurrentDictionary<RpcConnection, bool> _open = new();
    private readonly object _admission = new();
    private readonly RunRegistry _runs;
    private readonly ServiceOptions _options;
    private readonly ILogger<ConnectionRegistry> _logger;
    private readonly Timer _sweep;

    public ConnectionRegistry(RunRegistry runs, IOptions<ServiceOptions> options, ILogger<ConnectionRegistry> logger)
    {
        _runs = runs;
        _options = options.Value;
        _logger = logger;
        Limit = _options.MaxConnections;
        // At the descriptor limit accept() fails, nobody is served and the runtime itself can abort ("Out of
        // memory."): stay below it, counting what is open already (the runtime and libraries hold ~160), and say so.
        long reserved = (ProcessLimits.OpenFilesInUse() ?? 0) + _options.MaxRuns + SpareDescriptors + ClosingSlack;
        if (ProcessLimits.OpenFiles() is { } descriptors && descriptors - reserved < Limit)
        {
            Limit = (int)Math.Max(1, descriptors - reserved);
            logger.LogWarning(
                "Service:MaxConnections {Configured} exceeds what the open-file limit ({Descriptors}, ulimit -n) allows with {Reserved} descriptors kept for the server and its runs; serving at most {Limit} connections",
                _options.MaxConnections, descriptors, reserved, Limit);
        }
        _sweep = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Connections served at once: <see cref="ServiceOptions.MaxConnections"/>, or fewer where the process's
    /// open-file limit is lower.</summary>
    public int Limit { get; }

    /// <summary>Sockets open at once, counted from accept() until disposed (<see cref="AcceptGate"/>).</summary>
    public int Sockets => Limit + ClosingSlack;

    public int Count => _open.Count;

    /// <summary>Admits the connection (closing an idle one if the server is full); returns why not, or null.</summary>
    public string? TryAdd(RpcConnection connection)
    {
        RpcConnection? evicted = null;
        lock (_admission)
        {
            if (_open.Count >= Limit)
            {
                evicted = _open.Keys
                    .Where(open => !open.Busy && open.CloseReason is null && !_runs.HasSubscriber(open))
                    .OrderByDescending(open => open.Silent)
                    .ThenByDescending(open => open.Idle)
                    .FirstOrDefault();
                if (evicted is null)
                {
                    return $"the server serves {Limit} connections (Service:MaxConnections), all busy; try again later";
                }
                _open.TryRemove(evicted, out _);
            }
            _open[connection] = true;
        }
        evicted?.Close($"closed to admit a new connection: the server is at its limit of {Limit} (Service:MaxConnections) and this one was idle longest");
        return null;
    }

    public void Remove(RpcConnection connection) => _open.TryRemove(connection, out _);

    /// <summary>Stops reading on every connection; each drains its outbox and closes.</summary>
    public void CloseAll()
    {
        foreach (var connection in _open.Keys)
        {
            connection.Close();
        }
    }

    public void Dispose() => _sweep.Dispose();

    private void Sweep()
    {
        foreach (var connection in _open.Keys)
        {
            if (Overdue(connection) is { } reason)
            {
                _logger.LogInformation("connection {Id}: {Reason}", connection.Id, reason);
                connection.Close(reason);
            }
        }
    }

    private string? Overdue(RpcConnection connection)
    {
        if (connection.Partial.TotalSeconds > _options.MessageTimeoutSeconds)
        {
            return $"a message has been arriving for more than {_options.MessageTimeoutSeconds} s (Service:MessageTimeoutSeconds); closing";
        }
        if (!connection.Authenticated && connection.Age.TotalSeconds > _options.HelloTimeoutSeconds)
        {
            return $"no hello with the server's token within {_options.HelloTimeoutSeconds} s (Service:HelloTimeoutSeconds); closing";
        }
        if (_options.IdleTimeoutSeconds > 0 && connection.Idle.TotalSeconds > _options.IdleTimeoutSeconds
            && !connection.Busy && !_runs.HasSubscriber(connection))
        {
            return $"idle for {_options.IdleTimeoutSeconds} s (Service:IdleTimeoutSeconds); closing";
        }
        return null;
    }
}
