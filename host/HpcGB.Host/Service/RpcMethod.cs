namespace HpcGB.Host.Service;

/// <summary>One call as a method sees it: who asked and with which params.</summary>
internal sealed record RpcCall(RpcConnection Connection, RpcParams Params);

/// <summary>A protocol method: returns the result value (see <see cref="Client.Wire.WireWriter"/>) or throws
/// <see cref="RpcFault"/>.</summary>
internal delegate Task<object?> RpcMethod(RpcCall call);

/// <summary>A group of methods that registers itself with the dispatcher.</summary>
internal interface IRpcMethodGroup
{
    void Register(IDictionary<string, RpcMethod> methods);
}
