namespace HpcGB.Host.Service;

/// <summary>One client connection: its outbox, whether it passed the token check, and the runs it owns.</summary>
internal sealed class RpcConnection(string id, Outbox outbox, bool authenticated) : IDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private int _runs;

    public string Id { get; } = id;

    public Outbox Outbox { get; } = outbox;

    /// <summary>True when no token is configured, or after a <c>hello</c> with the right one.</summary>
    public bool Authenticated { get; set; } = authenticated;

    /// <summary>Cancelled when the server shuts down: the read loop stops and the outbox drains.</summary>
    public CancellationToken Closing => _closing.Token;

    public int Runs => Volatile.Read(ref _runs);

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

    public void Close()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed and gone.
        }
    }

    public void Dispose() => _closing.Dispose();
}
