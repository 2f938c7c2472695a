using System.Diagnostics;

namespace HpcGB.Host.Service;

/// <summary>
/// One client connection: its outbox, whether it passed the token check, the runs it owns, and what the
/// <see cref="ConnectionRegistry"/> needs to close it when idle or stalled: when it last completed a message,
/// since when a message is arriving, whether requests of it are in flight.
/// </summary>
internal sealed class RpcConnection(string id, Outbox outbox, bool authenticated)
{
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly long _opened = Stopwatch.GetTimestamp();
    private long _lastMessage = Stopwatch.GetTimestamp();
    private long _partialSince;
    private long _messages;
    private int _runs;
    private int _wrongTokens;
    private string? _closeReason;

    public string Id { get; } = id;

    public Outbox Outbox { get; } = outbox;

    /// <summary>True when no token is configured, or after a <c>hello</c> with the right one.</summary>
    public bool Authenticated { get; set; } = authenticated;

    /// <summary>Cancelled when the server shuts down or the connection is closed for cause (idle, stalled, evicted):
    /// the read loop stops and the outbox drains.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Cancelled when nobody can receive the replies any more (the client is gone, or the server gave up
    /// on it): long requests such as <c>forces</c> stop here.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Why <see cref="Close"/> was called (null: not closed, or by the server's shutdown).</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>No complete message has arrived yet.</summary>
    public bool Silent => Interlocked.Read(ref _messages) == 0;

    /// <summary>Time since the connection opened.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(_opened);

    /// <summary>Time since the last complete message arrived (or the connection opened).</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastMessage));

    /// <summary>How long the message now arriving has been arriving; zero between messages.</summary>
    public TimeSpan Partial => Interlocked.Read(ref _partialSince) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>True while requests of it are being handled or their replies wait to be sent.</summary>
    public bool Busy => Outbox.InFlight > 0;

    /// <summary>Bytes of a message have arrived and it is not complete yet.</summary>
    public void MessageStarted()
    {
        if (Interlocked.Read(ref _partialSince) == 0)
        {
            Interlocked.Exchange(ref _partialSince, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>A whole message arrived.</summary>
    public void MessageCompleted()
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Exchange(ref _lastMessage, Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref _partialSince, 0);
    }

    /// <summary>Counts a new run against the per-connection limit; false when the limit is reached.</summary>
    public bool TryAddRun(int limit)
    {
        while (true)
        {
            int current = Volatile.Read(ref _runs);
            if (current >= limit)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _runs, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void RemoveRun() => Interlocked.Decrement(ref _runs);

    /// <summary>Counts a wrong token; returns how many this connection has sent.</summary>
    public int WrongToken() => Interlocked.Increment(ref _wrongTokens);

    /// <summary>Stops reading (the outbox still drains); <paramref name="reason"/> is told to the client, if any.</summary>
    public void Close(string? reason = null)
    {
        if (reason is not null)
        {
            Interlocked.CompareExchange(ref _closeReason, reason, null);
        }
        Cancel(_closing);
    }

    /// <summary>Nobody will read the replies: cancels long requests too.</summary>
    public void Abort()
    {
        Cancel(_aborted);
        Cancel(_closing);
    }

    /// <summary>The sources are never disposed: requests of a closed connection may still ask for their tokens, and
    /// sources without timers hold nothing that needs it.</summary>
    private static void Cancel(CancellationTokenSource source) => source.Cancel();
}
