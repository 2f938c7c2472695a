using System.Buffers;
using MessagePack;

namespace HpcGB.Client.Wire;

/// <summary>
/// Decodes one framed message (see <see cref="FrameScanner"/>). The envelope is read by hand so that a bad
/// message still yields its msgid for the error reply; the params and results go through MessagePack's primitive
/// formatter with <see cref="WireSecurity"/> (UntrustedData plus bin map keys) and a depth limit, giving <c>object[]</c> for
/// arrays, <c>Dictionary&lt;object, object&gt;</c> for maps, <c>byte[]</c> for bin, and the integer and float types
/// as sent (read them with <see cref="WireValues"/>).
/// </summary>
public sealed class WireDecoder
{
    private readonly MessagePackSerializerOptions _options;

    public WireDecoder(int maxDepth)
    {
        MaxDepth = maxDepth;
        _options = MessagePackSerializerOptions.Standard.WithSecurity(new WireSecurity(maxDepth));
    }

    public int MaxDepth { get; }

    /// <summary>Throws <see cref="WireFormatException"/> (with the msgid when it was read) for a message that is not
    /// MessagePack-RPC.</summary>
    public RpcMessage Decode(ReadOnlySequence<byte> message)
    {
        var reader = new MessagePackReader(message);
        uint? msgId = null;
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                throw Invalid("a message must be an array [type, …]");
            }
            int count = reader.ReadArrayHeader();
            if (count < 3 || reader.NextMessagePackType != MessagePackType.Integer)
            {
                throw Invalid("a message must start with its integer type 0, 1 or 2");
            }
            ulong? unsigned = ReadInteger(ref reader, out long type);
            if (unsigned is { } huge)
            {
                throw Invalid($"type {huge}: expected 0 (request), 1 (response) or 2 (notification)");
            }
            switch (type)
            {
                case MessageType.Request when count == 4:
                    msgId = ReadMsgId(ref reader);
                    string method = ReadMethod(ref reader, msgId);
                    return new RpcRequest(msgId.Value, method, ReadParams(ref reader, msgId));
                case MessageType.Response when count == 4:
                    // Not msgId: a broken response must not be answered under the msgid of the peer's own requests.
                    uint answered = ReadMsgId(ref reader);
                    object? error = Deserialize(ref reader);
                    object? result = Deserialize(ref reader);
                    return new RpcResponse(answered, error is null ? null : ToError(error), result);
                case MessageType.Notification when count == 3:
                    string name = ReadMethod(ref reader, null);
                    return new RpcNotification(name, ReadParams(ref reader, null));
                default:
                    throw Invalid($"type {type} with {count} elements: expected [0, msgid, method, params], [1, msgid, error, result] or [2, method, params]");
            }
        }
        catch (MessagePackSerializationException ex)
        {
            throw Invalid(ex.InnerException?.Message ?? ex.Message, msgId);
        }
        catch (EndOfStreamException)
        {
            throw Invalid("message ends early", msgId);
        }
    }

    /// <summary>A map or array nested deeper than the limit (the frame scanner measured it).</summary>
    public WireFormatException TooDeep(int depth) =>
        new(ErrorCodes.LimitExceeded, $"message nested {depth} levels deep; the limit is {MaxDepth}");

    /// <summary>
    /// The msgid at the reader, or null (the reader left after it) when it is not an unsigned 32-bit integer;
    /// MessagePack integers run up to 2^64 − 1, beyond <see cref="long"/>, and must not throw here.
    /// </summary>
    public static uint? TryReadMsgId(ref MessagePackReader reader, out string? problem)
    {
        problem = null;
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            problem = $"msgid must be an unsigned 32-bit integer, got {reader.NextMessagePackType.ToString().ToLowerInvariant()}";
            reader.Skip();
            return null;
        }
        ulong? huge = ReadInteger(ref reader, out long id);
        if (huge is not null || id is < 0 or > uint.MaxValue)
        {
            problem = $"msgid {(huge is { } h ? h.ToString(System.Globalization.CultureInfo.InvariantCulture) : id.ToString(System.Globalization.CultureInfo.InvariantCulture))} is not an unsigned 32-bit integer";
            return null;
        }
        return (uint)id;
    }

    /// <summary>Reads an integer token; returns the value in <paramref name="value"/>, or, for a uint64 beyond
    /// <see cref="long.MaxValue"/>, returns it (and <paramref name="value"/> is 0).</summary>
    public static ulong? ReadInteger(ref MessagePackReader reader, out long value)
    {
        if (reader.NextCode == MessagePackCode.UInt64)
        {
            ulong unsigned = reader.ReadUInt64();
            value = unsigned <= long.MaxValue ? (long)unsigned : 0;
            return unsigned <= long.MaxValue ? null : unsigned;
        }
        value = reader.ReadInt64();
        return null;
    }

    private static uint ReadMsgId(ref MessagePackReader reader) =>
        TryReadMsgId(ref reader, out string? problem) ?? throw Invalid(problem!);

    private static string ReadMethod(ref MessagePackReader reader, uint? msgId)
    {
        string? method = reader.NextMessagePackType switch
        {
            MessagePackType.String => reader.ReadString(),
            MessagePackType.Binary => WireValues.TryString(reader.ReadBytes()?.ToArray()),
            _ => null,
        };
        return method ?? throw Invalid("method must be a str or bin (UTF-8) name", msgId);
    }

    private object?[] ReadParams(ref MessagePackReader reader, uint? msgId) =>
        Deserialize(ref reader) as object?[] ?? throw Invalid("params must be an array", msgId);

    private object? Deserialize(ref MessagePackReader reader) => MessagePackSerializer.Deserialize<object?>(ref reader, _options);

    private static RpcError ToError(object error) =>
        error is object?[] { Length: 2 } pair && WireValues.TryLong(pair[0]) is { } code && WireValues.TryString(pair[1]) is { } text
            ? new RpcError((int)code, text)
            : new RpcError(ErrorCodes.Internal, $"unrecognised error {WireValues.Describe(error)}");

    private static WireFormatException Invalid(string message, uint? msgId = null) =>
        new(ErrorCodes.InvalidMessage, message, msgId);
}
