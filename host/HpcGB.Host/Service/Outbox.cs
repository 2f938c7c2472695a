using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace HpcGB.Host.Service;

/// <summary>
/// Everything one connection sends, written by a single loop. Two queues:
/// <list type="bullet">
/// <item>Reliable: replies (every message with a readable msgid gets exactly one, errors included), connection
/// errors and the last notification of a run (<c>finished</c>, <c>failed</c>, <c>cancelled</c>, <c>shutdown</c>).
/// Never dropped. Replies are capped by the in-flight slots (<see cref="AcquireAsync"/>, given back once the reply
/// is handed to the socket), so a client that stops reading stops the server reading from it.</item>
/// <item>Droppable: <c>progress</c> and <c>state</c> notifications, bounded by count and by bytes per connection
/// and by the server's <see cref="MemoryBudget"/>; what does not fit is dropped and counted, never buffered
/// without bound.</item>
/// </list>
/// </summary>
internal sealed class Outbox(int maxInFlight, int notificationCapacity, long notificationBytes, MemoryBudget budget)
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    private readonly Channel<Item> _reliable = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Item> _notifications = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedNotifications;
    private long _queuedNotificationBytes;
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests being handled or whose replies wait to be written.</summary>
    public int InFlight => maxInFlight - _slots.CurrentCount;

    /// <summary>Waits for a free request slot; each slot is given back after its reply was written.</summary>
    public Task AcquireAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Gives a slot back for a message that needs no reply (a response or notification from the client).</summary>
    public void Release() => _slots.Release();

    /// <summary>Queues the reply that ends a slot; <paramref name="held"/> (the reply's bytes in the budget) is
    /// released once it is written.</summary>
    public void Reply(byte[] message, MemoryBudget.Reservation? held = null)
    {
        if (!_reliable.Writer.TryWrite(new Item(message, held, Kind.Reply)))
        {
            held?.Dispose();
            _slots.Release(); // the connection is closing: nobody will write it
        }
    }

    /// <summary>Queues a message that must not be lost and belongs to no request: a connection error, a run's last
    /// notification. Small, and at most one per run and subscriber, so it needs no bound of its own.</summary>
    public void Send(byte[] message) => _reliable.Writer.TryWrite(new Item(message, null, Kind.Reliable));

    /// <summary>Queues a droppable notification; false (and counted) when it does not fit.</summary>
    public bool TryNotify(byte[] message)
    {
        long count = Interlocked.Increment(ref _queuedNotifications);
        long bytes = Interlocked.Add(ref _queuedNotificationBytes, message.Length);
        // The byte limit bounds the backlog: one notification alone (a large state) may exceed it.
        if (count > notificationCapacity || (count > 1 && bytes > notificationBytes))
        {
            return Drop(message.LongLength);
        }
        var held = budget.TryReserve(message.Length);
        if (held is null || !_notifications.Writer.TryWrite(new Item(message, held, Kind.Notification)))
        {
            held?.Dispose();
            return Drop(message.LongLength);
        }
        return true;
    }

    /// <summary>Completes when every request has been answered and its reply written.</summary>
    public async Task WhenAnsweredAsync(CancellationToken cancellationToken)
    {
        while (InFlight > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No more messages: the write loop ends once it has written what is queued.</summary>
    public void Complete()
    {
        _reliable.Writer.TryComplete();
        _notifications.Writer.TryComplete();
    }

    /// <summary>Writes the reliable queue first, then notifications, flushing after each batch, until
    /// <see cref="Complete"/>. Whatever is still queued when it stops is released.</summary>
    public async Task WriteLoopAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            bool reliableOpen = true, notificationsOpen = true;
            while (reliableOpen || notificationsOpen)
            {
                bool wrote = false;
                while (_reliable.Reader.TryRead(out var item))
                {
                    Write(output, item);
                    wrote = true;
                }
                int batch = 0;
                while (batch++ < 64 && _notifications.Reader.TryRead(out var notification))
                {
                    Write(output, notification);
                    wrote = true;
                }
                if (wrote)
                {
                    var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        return;
                    }
                    continue;
                }
                var reliable = reliableOpen ? _reliable.Reader.WaitToReadAsync(cancellationToken).AsTask() : Task.FromResult(false);
                var notifications = notificationsOpen ? _notifications.Reader.WaitToReadAsync(cancellationToken).AsTask() : Task.FromResult(false);
                await Task.WhenAny(reliable, notifications).ConfigureAwait(false);
                if (reliable.IsCompleted)
                {
                    reliableOpen = await reliable.ConfigureAwait(false);
                }
                if (notifications.IsCompleted)
                {
                    notificationsOpen = await notifications.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Complete();
            while (_reliable.Reader.TryRead(out var item))
            {
                Done(item);
            }
            while (_notifications.Reader.TryRead(out var item))
            {
                Done(item);
            }
        }
    }

    private void Write(PipeWriter output, Item item)
    {
        output.Write(item.Bytes);
        Done(item);
    }

    /// <summary>The message left the queue (written, or given up): its bytes and slot are free again.</summary>
    private void Done(Item item)
    {
        item.Held?.Dispose();
        if (item.Kind == Kind.Reply)
        {
            _slots.Release();
        }
        else if (item.Kind == Kind.Notification)
        {
            Interlocked.Decrement(ref _queuedNotifications);
            Interlocked.Add(ref _queuedNotificationBytes, -item.Bytes.Length);
        }
    }

    private bool Drop(long bytes)
    {
        Interlocked.Decrement(ref _queuedNotifications);
        Interlocked.Add(ref _queuedNotificationBytes, -bytes);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private enum Kind
    {
        /// <summary>Ends a request's slot.</summary>
        Reply,

        /// <summary>Must be delivered, belongs to no request.</summary>
        Reliable,

        /// <summary>Counted in the droppable queue.</summary>
        Notification,
    }

    private readonly record struct Item(byte[] Bytes, MemoryBudget.Reservation? Held, Kind Kind);
}
