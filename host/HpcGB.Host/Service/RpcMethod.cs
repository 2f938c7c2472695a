namespace HpcGB.Host.Service;

/// <summary>One call as a method sees it: who asked and with which params, and what it holds until its reply is
/// encoded (<see cref="Keep"/>).</summary>
internal sealed class RpcCall(RpcConnection connection, RpcParams parameters) : IDisposable
{
    private readonly List<IDisposable> _held = [];

    public RpcConnection Connection { get; } = connection;

    public RpcParams Params { get; } = parameters;

    /// <summary>Holds <paramref name="resource"/> (a budget reservation for the result) until the reply is encoded.</summary>
    public T Keep<T>(T resource)
        where T : IDisposable
    {
        _held.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in _held)
        {
            resource.Dispose();
        }
        _held.Clear();
    }
}

/// <summary>A protocol method: returns the result value (see <see cref="Client.Wire.WireWriter"/>) or throws
/// <see cref="RpcFault"/>.</summary>
internal delegate Task<object?> RpcMethod(RpcCall call);

/// <summary>A group of methods that registers itself with the dispatcher.</summary>
internal interface IRpcMethodGroup
{
    void Register(IDictionary<string, RpcMethod> methods);
}
