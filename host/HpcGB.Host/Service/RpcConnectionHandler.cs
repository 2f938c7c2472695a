using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using HpcGB.Client.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// One Kestrel connection: admitted by the <see cref="ConnectionRegistry"/> and the <see cref="MemoryBudget"/>,
/// frames the byte stream into messages (<see cref="FrameScanner"/>), pays for each message's decoded size before
/// decoding it, hands requests to the <see cref="RpcDispatcher"/> on the thread pool (so replies may overtake each
/// other) and writes through the connection's <see cref="Outbox"/>. Every message with a readable msgid gets exactly
/// one reply: a message that is valid MessagePack but not a valid request gets an error reply (an <c>error</c>
/// notification when it has no readable msgid); bytes that break the framing — an oversize message, the never-used
/// code 0xc1 — get a last error and close the connection. When the client ends its side (half-close), the replies
/// to its requests still go out before the connection closes.
/// </summary>
internal sealed class RpcConnectionHandler(
    RpcDispatcher dispatcher, RunRegistry runs, ConnectionRegistry connections, MemoryBudget budget, IOptions<ServiceOptions> options,
    ILogger<RpcConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>What every connection holds in the budget: pipes, scanner, queues, and its first 64 KiB of a message.</summary>
    public const long ConnectionBytes = 128 << 10;

    /// <summary>The largest message before a token-protected connection has sent <c>hello</c>.</summary>
    public const int UnauthenticatedMessageBytes = 64 << 10;

    /// <summary>Bytes of a message being received that <see cref="ConnectionBytes"/> covers; beyond, they are reserved.</summary>
    private const long FreeMessageBytes = 64 << 10;

    private readonly ServiceOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var outbox = new Outbox(_options.MaxInFlightPerConnection, _options.NotificationQueue, _options.NotificationQueueBytes, budget);
        var connection = new RpcConnection(context.ConnectionId, outbox, authenticated: string.IsNullOrEmpty(_options.Token));
        using var drain = new CancellationTokenSource();
        var writing = outbox.WriteLoopAsync(context.Transport.Output, drain.Token);
        using var held = budget.TryReserve(ConnectionBytes);
        string? refusal = held is null
            ? budget.Refusal(ConnectionBytes, "a new connection")
            : connections.TryAdd(connection);
        if (refusal is not null)
        {
            logger.LogWarning("connection from {Remote} refused: {Reason}", context.RemoteEndPoint, refusal);
            outbox.Send(ErrorNotification(ErrorCodes.LimitExceeded, refusal));
            await FinishAsync(context, outbox, writing, drain).ConfigureAwait(false);
            return;
        }
        logger.LogInformation("connection {Id} from {Remote}", connection.Id, context.RemoteEndPoint);
        bool refused = false;
        try
        {
            if (await ReadLoopAsync(context.Transport.Input, connection).ConfigureAwait(false))
            {
                await AwaitRepliesAsync(context, connection, writing).ConfigureAwait(false);
            }
            else
            {
                refused = true;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            // Closed by the server (shutdown, idle, stalled, evicted) or a dropped client.
        }
        finally
        {
            connections.Remove(connection);
            runs.Forget(connection);
            if (connection.CloseReason is { } reason)
            {
                outbox.Send(ErrorNotification(ErrorCodes.LimitExceeded, reason));
            }
            await FinishAsync(context, outbox, writing, drain, linger: refused).ConfigureAwait(false);
            connection.Abort(); // nobody reads any more: requests still running stop
            logger.LogInformation("connection {Id} closed", connection.Id);
        }
    }

    /// <summary>Writes what is queued (for at most the shutdown timeout) and closes the connection, after
    /// <see cref="LingerAsync"/> where <paramref name="linger"/>.</summary>
    private async Task FinishAsync(ConnectionContext context, Outbox outbox, Task writing, CancellationTokenSource drain, bool linger = false)
    {
        outbox.Complete();
        drain.CancelAfter(TimeSpan.FromSeconds(_options.ShutdownTimeoutSeconds));
        try
        {
            await writing.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client stopped reading or went away; nothing more to deliver.
        }
        if (linger)
        {
            await LingerAsync(context.Transport.Input).ConfigureAwait(false);
        }
        await context.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// After a refusal the client may still be sending the refused message. Closing with its bytes unread would reset
    /// the connection under it (a broken pipe on its send, and its unread reply lost), so once the reply is out the
    /// rest is read and discarded until the client closes, for at most <see cref="LingerSeconds"/>, holding no memory.
    /// </summary>
    private static async Task LingerAsync(PipeReader input)
    {
        using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(LingerSeconds));
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(linger.Token).ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client went away or kept sending past the linger: close.
        }
    }

    /// <summary>How long a refused connection reads on before it closes (<see cref="LingerAsync"/>).</summary>
    private const int LingerSeconds = 2;

    /// <summary>Reads and dispatches messages; true when the client ended its side (read EOF), false when the
    /// framing broke and the connection must close.</summary>
    private async Task<bool> ReadLoopAsync(PipeReader input, RpcConnection connection)
    {
        var scanner = new FrameScanner(connection.Authenticated ? _options.MaxMessageBytes : UnauthenticatedMessageBytes);
        var decoder = new WireDecoder(_options.MaxDepth);
        MemoryBudget.Reservation? receiving = null;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(connection.Closing).ConfigureAwait(false);
                var buffer = read.Buffer;
                FrameStatus status;
                while ((status = scanner.Scan(buffer)) == FrameStatus.Complete)
                {
                    connection.MessageCompleted();
                    var message = buffer.Slice(0, scanner.Length);
                    await connection.Outbox.AcquireAsync(connection.Closing).ConfigureAwait(false);
                    var (request, lease) = Decode(message, scanner, decoder, connection);
                    buffer = buffer.Slice(scanner.Length);
                    scanner.Reset();
                    receiving?.Dispose();
                    receiving = null;
                    if (request is null)
                    {
                        continue;
                    }
                    if (connection.Authenticated)
                    {
                        _ = Task.Run(() => HandleAsync(connection, request, lease));
                    }
                    else
                    {
                        // Before the token check, one request at a time, in order: a pipelined hello then a large
                        // request works, and wrong guesses cannot be sent in parallel.
                        await HandleAsync(connection, request, lease).ConfigureAwait(false);
                        scanner.MaxBytes = connection.Authenticated ? _options.MaxMessageBytes : UnauthenticatedMessageBytes;
                    }
                }
                if (status != FrameStatus.Incomplete)
                {
                    Refuse(buffer, status, connection, scanner.MaxBytes);
                    input.AdvanceTo(buffer.End); // consumed: LingerAsync reads on
                    return false;
                }
                if (!buffer.IsEmpty)
                {
                    connection.MessageStarted();
                    // Bytes of a large message wait in memory until it is complete: pay for them as they come.
                    long wanted = scanner.KnownLength - FreeMessageBytes;
                    if (wanted > (receiving?.Bytes ?? 0))
                    {
                        long more = RoundUp(wanted) - (receiving?.Bytes ?? 0);
                        if (!(receiving ??= budget.TryReserve(0))!.TryGrow(more))
                        {
                            Refuse(buffer, budget.Refusal(scanner.KnownLength, $"a message of {scanner.KnownLength} bytes"), connection);
                            input.AdvanceTo(buffer.End);
                            return false;
                        }
                    }
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return true;
                }
            }
        }
        finally
        {
            receiving?.Dispose();
        }
    }

    private async Task HandleAsync(RpcConnection connection, RpcRequest request, MemoryBudget.Reservation lease)
    {
        byte[] reply;
        using (lease)
        {
            reply = await dispatcher.HandleAsync(connection, request).ConfigureAwait(false);
        }
        // The reply waits in memory until written: it must fit in the budget, else the client gets an error instead.
        if (budget.TryReserve(reply.Length) is { } held)
        {
            connection.Outbox.Reply(reply, held);
            return;
        }
        connection.Outbox.Reply(RpcDispatcher.Response(request.MsgId, new RpcError(
            ErrorCodes.LimitExceeded,
            $"{request.Method}: {budget.Refusal(reply.Length, "the reply")}; ask for less (fewer fields) or retry"), null));
    }

    /// <summary>
    /// The request in a framed message, with its decoded size reserved in the budget; or null after answering a
    /// broken one, one the budget cannot take, or a response or notification from the client (which need no
    /// answer). Its in-flight slot is given back or passed on with the answer.
    /// </summary>
    private (RpcRequest? Request, MemoryBudget.Reservation Lease) Decode(
        ReadOnlySequence<byte> message, FrameScanner scanner, WireDecoder decoder, RpcConnection connection)
    {
        var lease = budget.TryReserve(scanner.DecodedBytes);
        try
        {
            if (scanner.Depth > decoder.MaxDepth)
            {
                throw new WireFormatException(ErrorCodes.LimitExceeded, decoder.TooDeep(scanner.Depth).Message, PeekMsgId(message));
            }
            if (lease is null)
            {
                throw new WireFormatException(
                    ErrorCodes.LimitExceeded, budget.Refusal(scanner.DecodedBytes, $"a message of {scanner.Length} bytes, decoded,"), PeekMsgId(message));
            }
            if (decoder.Decode(message) is RpcRequest request)
            {
                return (request, lease);
            }
            connection.Outbox.Release();
        }
        catch (WireFormatException ex)
        {
            logger.LogDebug("connection {Id}: bad message: {Message}", connection.Id, ex.Message);
            var error = new RpcError(ex.Code, ex.Message);
            if (ex.MsgId is { } msgId)
            {
                connection.Outbox.Reply(RpcDispatcher.Response(msgId, error, null));
            }
            else
            {
                connection.Outbox.Release();
                connection.Outbox.Send(ErrorNotification(error.Code, error.Message));
            }
        }
        lease?.Dispose();
        return (null, null!);
    }

    /// <summary>Framing is lost: say why and close.</summary>
    private void Refuse(ReadOnlySequence<byte> buffer, FrameStatus status, RpcConnection connection, long limit) =>
        Refuse(buffer, status == FrameStatus.TooLarge
            ? limit < _options.MaxMessageBytes
                ? $"message larger than {limit} bytes before hello with the server's token; closing"
                : $"message larger than {limit} bytes (Service:MaxMessageBytes); closing"
            : "bytes that are not MessagePack; closing",
            connection,
            status == FrameStatus.TooLarge ? ErrorCodes.LimitExceeded : ErrorCodes.InvalidMessage);

    private void Refuse(ReadOnlySequence<byte> buffer, string reason, RpcConnection connection, int code = ErrorCodes.LimitExceeded)
    {
        logger.LogInformation("connection {Id}: {Reason}", connection.Id, reason);
        var error = new RpcError(code, reason);
        if (PeekMsgId(buffer) is { } msgId)
        {
            connection.Outbox.Send(RpcDispatcher.Response(msgId, error, null));
        }
        else
        {
            connection.Outbox.Send(ErrorNotification(error.Code, error.Message));
        }
    }

    /// <summary>
    /// The client ended its side with requests in flight. It may have half-closed (and still reads) or be gone:
    /// one small <c>eof</c> notification tells them apart, since a closed TCP peer answers data with a reset. The
    /// replies go out as they come; if the peer is gone, the requests are cancelled.
    /// </summary>
    private async Task AwaitRepliesAsync(ConnectionContext context, RpcConnection connection, Task writing)
    {
        if (!connection.Busy)
        {
            return;
        }
        connection.Outbox.Send(WireWriter.ToBytes(b => WireWriter.WriteNotification(
            b, "eof", [new Dictionary<string, object?> { ["pending"] = connection.Outbox.InFlight }])));
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        var answered = connection.Outbox.WhenAnsweredAsync(connection.Closing);
        while (!answered.IsCompleted)
        {
            await Task.WhenAny(answered, writing, Task.Delay(100)).ConfigureAwait(false);
            if (writing.IsCompleted || PeerReset(socket))
            {
                logger.LogInformation("connection {Id}: the client is gone; cancelling its requests", connection.Id);
                connection.Abort();
                return;
            }
        }
        await answered.ConfigureAwait(false);
    }

    private static bool PeerReset(Socket? socket)
    {
        try
        {
            return socket is not null && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! != 0;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            return true;
        }
    }

    private static long RoundUp(long bytes) => (bytes + (1 << 20) - 1) & ~((1L << 20) - 1);

    private static byte[] ErrorNotification(int code, string message) =>
        WireWriter.ToBytes(b => WireWriter.WriteNotification(b, "error", [new object?[] { code, message }]));

    /// <summary>The msgid of a request from its first bytes (<c>[0, msgid, …</c>), whatever follows.</summary>
    private static uint? PeekMsgId(ReadOnlySequence<byte> message)
    {
        try
        {
            var reader = new MessagePack.MessagePackReader(message);
            if (reader.TryReadArrayHeader(out int count) && count == 4
                && reader.NextMessagePackType == MessagePack.MessagePackType.Integer
                && WireDecoder.ReadInteger(ref reader, out long type) is null && type == MessageType.Request)
            {
                return WireDecoder.TryReadMsgId(ref reader, out _);
            }
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or EndOfStreamException)
        {
            // Too little of the message to tell.
        }
        return null;
    }
}
