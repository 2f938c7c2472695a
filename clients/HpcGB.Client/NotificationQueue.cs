using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using HpcGB.Client.Wire;

namespace HpcGB.Client;

/// <summary>
/// The notifications a client has received and not yet read, bounded in count and bytes so that an application
/// that stops reading loses notifications, not memory. The last notification of a run is always kept.
/// </summary>
internal sealed class NotificationQueue(int maxCount, long maxBytes) : ChannelReader<RpcNotification>
{
    private static readonly HashSet<string> Final = ["finished", "failed", "cancelled", "shutdown"];

    private readonly Channel<(RpcNotification Notification, long Bytes)> _channel =
        Channel.CreateUnbounded<(RpcNotification, long)>(new UnboundedChannelOptions { SingleWriter = true });
    private long _bytes;
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="notification"/> (<paramref name="bytes"/> as received) unless the queue is
    /// full and it is not a run's last one.</summary>
    public void Offer(RpcNotification notification, long bytes)
    {
        int count = _channel.Reader.Count;
        bool full = count >= maxCount || (count > 0 && Interlocked.Read(ref _bytes) + bytes > maxBytes);
        if (full && !Final.Contains(notification.Method))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        Interlocked.Add(ref _bytes, bytes);
        _channel.Writer.TryWrite((notification, bytes));
    }

    public void Complete() => _channel.Writer.TryComplete();

    public override bool TryRead([MaybeNullWhen(false)] out RpcNotification item)
    {
        if (_channel.Reader.TryRead(out var entry))
        {
            Interlocked.Add(ref _bytes, -entry.Bytes);
            item = entry.Notification;
            return true;
        }
        item = null;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    public override Task Completion => _channel.Reader.Completion;

    public override bool CanCount => true;

    public override int Count => _channel.Reader.Count;
}
