namespace HpcGB.Client.Wire;

/// <summary>The error element of a response, <c>[code, message]</c>; the message names the offending field.</summary>
public sealed record RpcError(int Code, string Message)
{
    public override string ToString() => $"error {Code} ({ErrorCodes.Name(Code)}): {Message}";
}

/// <summary>Error codes of the hpcgb protocol (docs/protocol.md).</summary>
public static class ErrorCodes
{
    /// <summary>The message is valid MessagePack but not a well-formed MessagePack-RPC message.</summary>
    public const int InvalidMessage = 1;

    /// <summary>No method of that name.</summary>
    public const int UnknownMethod = 2;

    /// <summary>A parameter is missing, of the wrong type or out of range; the message names it.</summary>
    public const int InvalidParams = 3;

    /// <summary>The spec is invalid; the message is <c>$.json.path: reason</c>.</summary>
    public const int InvalidSpec = 4;

    /// <summary>No run or checkpoint with that id.</summary>
    public const int NotFound = 5;

    /// <summary>The run is not in a state that allows the call (e.g. <c>start</c> on a finished run).</summary>
    public const int InvalidState = 6;

    /// <summary>A limit was hit: message size, nesting depth, particles, runs per connection, requests in flight.</summary>
    public const int LimitExceeded = 7;

    /// <summary>A token is configured and this connection has not sent it in <c>hello</c>.</summary>
    public const int Unauthorized = 8;

    /// <summary>The simulation failed (collision, step too small) or a checkpoint could not be written or read.</summary>
    public const int RunFailed = 9;

    /// <summary>The run's integrator cannot be checkpointed.</summary>
    public const int NotResumable = 10;

    /// <summary>The server is shutting down.</summary>
    public const int ShuttingDown = 11;

    /// <summary>A bug in the server; the message has the exception type.</summary>
    public const int Internal = 12;

    public static string Name(int code) => code switch
    {
        InvalidMessage => "invalid message",
        UnknownMethod => "unknown method",
        InvalidParams => "invalid params",
        InvalidSpec => "invalid spec",
        NotFound => "not found",
        InvalidState => "invalid state",
        LimitExceeded => "limit exceeded",
        Unauthorized => "unauthorized",
        RunFailed => "run failed",
        NotResumable => "not resumable",
        ShuttingDown => "shutting down",
        Internal => "internal error",
        _ => "unknown code",
    };
}

/// <summary>A request that the server answered with an error.</summary>
public sealed class RpcException(RpcError error) : Exception(error.ToString())
{
    public RpcError Error { get; } = error;

    public int Code => Error.Code;
}

/// <summary>A message that is valid MessagePack but breaks the protocol; <see cref="MsgId"/> is known when the
/// envelope got that far, so the server can still answer.</summary>
public sealed class WireFormatException(int code, string message, uint? msgId = null) : Exception(message)
{
    public int Code { get; } = code;

    public uint? MsgId { get; } = msgId;
}
