using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using HpcGB.Client.Wire;

namespace HpcGB.Client;

/// <summary>
/// An async MessagePack-RPC client of <c>hpcgb serve</c>. Calls may overlap: each gets its own msgid and the
/// replies are matched by msgid in whatever order they come. Notifications (<c>progress</c>, <c>state</c>,
/// <c>finished</c>, <c>failed</c>, <c>shutdown</c>) arrive on <see cref="Notifications"/>, bounded by
/// <see cref="HpcgbClientOptions"/>. Whatever ends the connection — the server closing it, a message that breaks the
/// framing or is not MessagePack-RPC — fails every pending call with an <see cref="IOException"/> naming the cause.
/// </summary>
public sealed partial class HpcgbClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<object?>> _pending = new();
    private readonly NotificationQueue _notifications;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _readLoop;
    private uint _nextId;
    private volatile IOException? _ended;

    /// <summary>Runs the protocol over an open stream (a socket, or a test stream).</summary>
    public HpcgbClient(Stream stream, HpcgbClientOptions? options = null)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        options ??= new HpcgbClientOptions();
        _notifications = new NotificationQueue(options.NotificationQueue, options.NotificationQueueBytes);
        _readLoop = Task.Run(() => ReadLoopAsync(options.MaxMessageBytes));
    }

    /// <summary>Notifications in arrival order; completed when the connection ends.</summary>
    public ChannelReader<RpcNotification> Notifications => _notifications;

    /// <summary><c>progress</c> and <c>state</c> notifications dropped because <see cref="Notifications"/> was
    /// full (<see cref="HpcgbClientOptions.NotificationQueue"/>).</summary>
    public long DroppedNotifications => _notifications.Dropped;

    /// <summary>Completes when the server closed the connection (or <see cref="DisposeAsync"/> ran).</summary>
    public Task Completion => _readLoop;

    public static async Task<HpcgbClient> ConnectAsync(string host, int port, HpcgbClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        return new HpcgbClient(new NetworkStream(socket, ownsSocket: true), options);
    }

    public static async Task<HpcgbClient> ConnectUnixAsync(string path, HpcgbClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        return new HpcgbClient(new NetworkStream(socket, ownsSocket: true), options);
    }

    /// <summary>Sends a request and waits for its reply; throws <see cref="RpcException"/> for an error reply and
    /// <see cref="IOException"/> when the connection is closed or ends first.</summary>
    public async Task<object?> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken = default)
    {
        uint id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            if (_ended is { } ended)
            {
                // The read loop may have failed the pending calls just before this one was added.
                throw new IOException(ended.Message, ended);
            }
            var buffer = new ArrayBufferWriter<byte>();
            WireWriter.WriteRequest(buffer, id, method, parameters);
            await SendAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            using (cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken)))
            {
                return await reply.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task<object?> CallAsync(string method, params object?[] parameters) => CallAsync(method, parameters, CancellationToken.None);

    /// <summary>Sends raw bytes (tests of framing and malformed input).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ended is { } ended)
            {
                throw new IOException($"the connection to the server is closed: {ended.Message}", ended);
            }
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException closed)
        {
            throw new IOException("the connection to the server is closed", closed);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The loop ends with the stream; how it noticed does not matter here.
        }
        _closing.Dispose();
        _writeLock.Dispose();
    }

    private async Task ReadLoopAsync(long maxMessageBytes)
    {
        // Large reads: a 16 MB state in 4 KiB pieces (the default) would cost thousands of socket reads.
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 1 << 20, minimumReadSize: 1 << 18));
        var scanner = new FrameScanner(maxMessageBytes);
        var decoder = new WireDecoder(maxDepth: 64);
        IOException ended = new("the server closed the connection");
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                FrameStatus status;
                while ((status = scanner.Scan(buffer)) == FrameStatus.Complete)
                {
                    var message = buffer.Slice(0, scanner.Length);
                    Dispatch(decoder.Decode(message), scanner.Length);
                    buffer = buffer.Slice(scanner.Length);
                    scanner.Reset();
                }
                if (status == FrameStatus.TooLarge)
                {
                    throw new IOException($"the server sent a message beyond {maxMessageBytes} bytes (HpcgbClientOptions.MaxMessageBytes)");
                }
                if (status == FrameStatus.Malformed)
                {
                    throw new IOException("the server sent bytes that are not MessagePack (0xc1, or nesting beyond what can be followed)");
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (WireFormatException invalid)
        {
            ended = new IOException($"the server sent an invalid message: {invalid.Message}", invalid);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            ended = ex as IOException ?? new IOException($"connection to the server lost: {ex.Message}", ex);
        }
        finally
        {
            _ended = ended;
            await reader.CompleteAsync().ConfigureAwait(false);
            if (!_closing.IsCancellationRequested)
            {
                // Framing is lost or the server is gone: nothing more can be read or sent on this stream.
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(ended);
            }
            _notifications.Complete();
        }
    }

    private void Dispatch(RpcMessage message, long bytes)
    {
        switch (message)
        {
            case RpcResponse response when _pending.TryGetValue(response.MsgId, out var reply):
                if (response.Error is { } error)
                {
                    reply.TrySetException(new RpcException(error));
                }
                else
                {
                    reply.TrySetResult(response.Result);
                }
                break;
            case RpcNotification notification:
                _notifications.Offer(notification, bytes);
                break;
            default:
                // A reply nobody waits for (a cancelled call) or a request from the server: nothing to do.
                break;
        }
    }
}
