namespace HpcGB.Client.Wire;

/// <summary>The message types of MessagePack-RPC: the first element of every message.</summary>
public static class MessageType
{
    public const int Request = 0;
    public const int Response = 1;
    public const int Notification = 2;
}

/// <summary>A decoded message: <see cref="RpcRequest"/>, <see cref="RpcResponse"/> or <see cref="RpcNotification"/>.</summary>
public abstract record RpcMessage;

/// <summary><c>[0, msgid, method, params]</c>; <see cref="Params"/> holds decoded values (see <see cref="WireDecoder"/>).</summary>
public sealed record RpcRequest(uint MsgId, string Method, object?[] Params) : RpcMessage;

/// <summary><c>[1, msgid, error, result]</c>: exactly one of <see cref="Error"/> and <see cref="Result"/> is meaningful.</summary>
public sealed record RpcResponse(uint MsgId, RpcError? Error, object? Result) : RpcMessage;

/// <summary><c>[2, method, params]</c>.</summary>
public sealed record RpcNotification(string Method, object?[] Params) : RpcMessage;
