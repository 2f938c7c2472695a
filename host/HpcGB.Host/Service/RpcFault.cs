using HpcGB.Client.Wire;

namespace HpcGB.Host.Service;

/// <summary>An expected failure of a call, answered as the error <c>[code, message]</c>.</summary>
internal sealed class RpcFault(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public RpcError ToError() => new(Code, Message);

    public static RpcFault InvalidParams(string message) => new(ErrorCodes.InvalidParams, message);

    public static RpcFault InvalidState(string message) => new(ErrorCodes.InvalidState, message);
}
