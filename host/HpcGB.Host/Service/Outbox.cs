using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace HpcGB.Host.Service;

/// <summary>
/// Everything one connection sends, written by a single loop. Replies are never dropped: their number is capped
/// by the in-flight slots (<see cref="AcquireAsync"/>, released once the reply is handed to the socket), so a
/// client that stops reading stops the server reading from it. Notifications go through a bounded queue; when it
/// is full a notification is dropped and counted (<see cref="Dropped"/>), never buffered without bound.
/// </summary>
internal sealed class Outbox(int maxInFlight, int notificationCapacity)
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    private readonly Channel<byte[]> _replies = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<byte[]> _notifications = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(notificationCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Waits for a free request slot; each slot is given back after its reply was written.</summary>
    public Task AcquireAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Reply(byte[] message)
    {
        if (!_replies.Writer.TryWrite(message))
        {
            _slots.Release(); // the connection is closing: nobody will write it
        }
    }

    /// <summary>Queues a notification; false (and counted) when the queue is full or the connection is closing.</summary>
    public bool TryNotify(byte[] message)
    {
        if (_notifications.Writer.TryWrite(message))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>No more messages: the write loop ends once it has written what is queued.</summary>
    public void Complete()
    {
        _replies.Writer.TryComplete();
        _notifications.Writer.TryComplete();
    }

    /// <summary>Writes replies first, then notifications, flushing after each batch, until <see cref="Complete"/>.</summary>
    public async Task WriteLoopAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        bool repliesOpen = true, notificationsOpen = true;
        while (repliesOpen || notificationsOpen)
        {
            bool wrote = false;
            while (_replies.Reader.TryRead(out byte[]? reply))
            {
                output.Write(reply);
                _slots.Release();
                wrote = true;
            }
            int batch = 0;
            while (batch++ < 64 && _notifications.Reader.TryRead(out byte[]? notification))
            {
                output.Write(notification);
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
            var replies = repliesOpen ? _replies.Reader.WaitToReadAsync(cancellationToken).AsTask() : Task.FromResult(false);
            var notifications = notificationsOpen ? _notifications.Reader.WaitToReadAsync(cancellationToken).AsTask() : Task.FromResult(false);
            await Task.WhenAny(replies, notifications).ConfigureAwait(false);
            if (replies.IsCompleted)
            {
                repliesOpen = await replies.ConfigureAwait(false);
            }
            if (notifications.IsCompleted)
            {
                notificationsOpen = await notifications.ConfigureAwait(false);
            }
        }
    }
}
