namespace HpcGB.Host.Service;

/// <summary>
/// A connection's subscription to one run: <c>progress</c> at every frame, <c>state</c> (positions) at every
/// <see cref="Every"/>-th frame. Notifications its connection's queue cannot take are dropped and counted here.
/// </summary>
internal sealed class Subscriber(RpcConnection connection, int every)
{
    private long _dropped;

    public RpcConnection Connection { get; } = connection;

    public int Every { get; } = every;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Send(byte[] notification)
    {
        if (!Connection.Outbox.TryNotify(notification))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
