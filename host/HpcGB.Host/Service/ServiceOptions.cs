namespace HpcGB.Host.Service;

/// <summary>
/// Settings of <c>hpcgb serve</c>, section <c>Service</c>: appsettings.json, overridden by <c>HPCGB_Service__*</c>
/// environment variables, overridden by the command line. Checked by <see cref="ServiceOptionsValidator"/> at start.
/// </summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    /// <summary>IP address to listen on; anything but loopback requires <see cref="Token"/>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (the bound port is logged and printed).</summary>
    public int Port { get; set; } = 7878;

    /// <summary>Listen on this Unix domain socket path instead of TCP.</summary>
    public string? UnixSocket { get; set; }

    /// <summary>Shared secret a client must pass in <c>hello</c> before any other call (none: no check). Set it
    /// through <see cref="TokenFile"/> or the environment (<c>HPCGB_Service__Token</c>), where other users cannot
    /// read it; a command line is visible to all in the process list.</summary>
    public string? Token { get; set; }

    /// <summary>A file whose content (without a trailing newline) is the <see cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Why <see cref="TokenFile"/> could not give the token (set by <see cref="TokenFileReader"/>).</summary>
    internal string? TokenFileError { get; set; }

    /// <summary>Runs integrated at the same time (dedicated worker threads); more runs wait in a queue.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>The one memory budget of the server, in bytes: connections, messages being received and decoded,
    /// spec expansion, runs, <c>forces</c> evaluations, queued replies and notifications all reserve from it before
    /// allocating, and are refused when it is spent (docs/protocol.md, "Admission").</summary>
    public long MemoryBudgetBytes { get; set; } = 2L << 30;

    /// <summary>Largest force evaluation admitted, in pair interactions of the 2D log kernel (reference pair sums
    /// cost n², 2D poisson Fourier sums grow like n/δ²): a request beyond it is refused before anything runs.</summary>
    public double MaxEvaluationWork { get; set; } = 1e9;

    /// <summary>Connections served at once (lowered to what the open-file limit allows); at the limit the connection
    /// idle longest is closed for a new one.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>A connection with no request in flight, no subscription and no message for this long is closed
    /// (0: never).</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>A message must arrive completely within this time of its first byte, else the connection is closed.</summary>
    public int MessageTimeoutSeconds { get; set; } = 60;

    /// <summary>With a token, a connection that has not sent it in <c>hello</c> within this time is closed.</summary>
    public int HelloTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest incoming message; a larger one closes the connection.</summary>
    public int MaxMessageBytes { get; set; } = 64 << 20;

    /// <summary>Deepest nesting of arrays and maps in an incoming message.</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>Most particles in a spec sent to <c>forces</c>, <c>create_run</c> or <c>validate</c>.</summary>
    public int MaxParticles { get; set; } = 10_000_000;

    /// <summary>Most live runs created by one connection (deleted runs do not count).</summary>
    public int MaxRunsPerConnection { get; set; } = 16;

    /// <summary>Most live runs on the server.</summary>
    public int MaxRuns { get; set; } = 256;

    /// <summary>Requests of one connection being handled or waiting to be written; reading pauses beyond it.</summary>
    public int MaxInFlightPerConnection { get; set; } = 64;

    /// <summary>Notifications queued per connection; beyond it new ones are dropped and counted.</summary>
    public int NotificationQueue { get; set; } = 256;

    /// <summary>Bytes of notifications queued per connection (one notification alone may be larger); beyond it new
    /// ones are dropped and counted.</summary>
    public long NotificationQueueBytes { get; set; } = 64L << 20;

    /// <summary>Where checkpoints are written (created if missing).</summary>
    public string CheckpointDirectory { get; set; } = "checkpoints";

    /// <summary>Where runs created with an <c>outputs</c> name write trajectory.h5 and summary.json (created if missing).</summary>
    public string OutputDirectory { get; set; } = Path.Combine("runs", "service");

    /// <summary>How long a shutdown waits for runs to stop and connections to drain.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 20;
}
