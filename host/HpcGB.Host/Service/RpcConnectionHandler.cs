using System.Buffers;
using System.IO.Pipelines;
using HpcGB.Client.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// One Kestrel connection: frames the byte stream into messages (<see cref="FrameScanner"/>), hands each request
/// to the <see cref="RpcDispatcher"/> on the thread pool (so replies may overtake each other) and writes through
/// the connection's <see cref="Outbox"/>. A message that is valid MessagePack but not a valid request gets an
/// error reply (an <c>error</c> notification when it has no msgid); bytes that break the framing — an oversize
/// message, the never-used code 0xc1 — close the connection.
/// </summary>
internal sealed class RpcConnectionHandler(
    RpcDispatcher dispatcher, RunRegistry runs, ConnectionRegistry connections, IOptions<ServiceOptions> options,
    ILogger<RpcConnectionHandler> logger) : ConnectionHandler
{
    private readonly ServiceOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var outbox = new Outbox(_options.MaxInFlightPerConnection, _options.NotificationQueue);
        using var connection = new RpcConnection(context.ConnectionId, outbox, authenticated: string.IsNullOrEmpty(_options.Token));
        using var drain = new CancellationTokenSource();
        connections.Add(connection);
        logger.LogInformation("connection {Id} from {Remote}", connection.Id, context.RemoteEndPoint);
        var writing = outbox.WriteLoopAsync(context.Transport.Output, drain.Token);
        try
        {
            await ReadLoopAsync(context.Transport.Input, connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            // Shutdown or a dropped client: either way the connection ends here.
        }
        finally
        {
            connections.Remove(connection);
            runs.Forget(connection);
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
            await context.Transport.Output.CompleteAsync().ConfigureAwait(false);
            logger.LogInformation("connection {Id} closed", connection.Id);
        }
    }

    private async Task ReadLoopAsync(PipeReader input, RpcConnection connection)
    {
        var scanner = new FrameScanner(_options.MaxMessageBytes);
        var decoder = new WireDecoder(_options.MaxDepth);
        while (true)
        {
            var read = await input.ReadAsync(connection.Closing).ConfigureAwait(false);
            var buffer = read.Buffer;
            FrameStatus status;
            while ((status = scanner.Scan(buffer)) == FrameStatus.Complete)
            {
                var message = buffer.Slice(0, scanner.Length);
                var request = Decode(message, scanner.Depth, decoder, connection);
                buffer = buffer.Slice(scanner.Length);
                scanner.Reset();
                if (request is not null)
                {
                    await connection.Outbox.AcquireAsync(connection.Closing).ConfigureAwait(false);
                    _ = Task.Run(async () => connection.Outbox.Reply(await dispatcher.HandleAsync(connection, request).ConfigureAwait(false)));
                }
            }
            if (status != FrameStatus.Incomplete)
            {
                Refuse(buffer, status, connection);
                return;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>The request in a framed message, or null after answering a broken one (and for responses and
    /// notifications from the client, which need no answer).</summary>
    private RpcRequest? Decode(ReadOnlySequence<byte> message, int depth, WireDecoder decoder, RpcConnection connection)
    {
        try
        {
            if (depth > decoder.MaxDepth)
            {
                throw new WireFormatException(ErrorCodes.LimitExceeded, decoder.TooDeep(depth).Message, PeekMsgId(message));
            }
            return decoder.Decode(message) as RpcRequest;
        }
        catch (WireFormatException ex)
        {
            logger.LogDebug("connection {Id}: bad message: {Message}", connection.Id, ex.Message);
            var error = new RpcError(ex.Code, ex.Message);
            connection.Outbox.TryNotify(ex.MsgId is { } msgId
                ? RpcDispatcher.Response(msgId, error, null)
                : WireWriter.ToBytes(b => WireWriter.WriteNotification(b, "error", [new object?[] { error.Code, error.Message }])));
            return null;
        }
    }

    /// <summary>Framing is lost: say why (best effort) and close.</summary>
    private void Refuse(ReadOnlySequence<byte> buffer, FrameStatus status, RpcConnection connection)
    {
        string reason = status == FrameStatus.TooLarge
            ? $"message larger than {_options.MaxMessageBytes} bytes (Service:MaxMessageBytes); closing"
            : "bytes that are not MessagePack; closing";
        logger.LogInformation("connection {Id}: {Reason}", connection.Id, reason);
        var error = new RpcError(status == FrameStatus.TooLarge ? ErrorCodes.LimitExceeded : ErrorCodes.InvalidMessage, reason);
        connection.Outbox.TryNotify(PeekMsgId(buffer) is { } msgId
            ? RpcDispatcher.Response(msgId, error, null)
            : WireWriter.ToBytes(b => WireWriter.WriteNotification(b, "error", [new object?[] { error.Code, error.Message }])));
    }

    /// <summary>The msgid of a request from its first bytes (<c>[0, msgid, …</c>), whatever follows.</summary>
    private static uint? PeekMsgId(ReadOnlySequence<byte> message)
    {
        try
        {
            var reader = new MessagePack.MessagePackReader(message);
            if (reader.TryReadArrayHeader(out int count) && count == 4
                && reader.NextMessagePackType == MessagePack.MessagePackType.Integer && reader.ReadInt64() == MessageType.Request
                && reader.NextMessagePackType == MessagePack.MessagePackType.Integer)
            {
                long id = reader.ReadInt64();
                return id is >= 0 and <= uint.MaxValue ? (uint)id : null;
            }
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or EndOfStreamException)
        {
            // Too little of the message to tell.
        }
        return null;
    }
}
