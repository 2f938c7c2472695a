using System.Collections.Concurrent;

namespace HpcGB.Host.Service;

/// <summary>The open connections, so that a shutdown can close them all.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<RpcConnection, bool> _open = new();

    public int Count => _open.Count;

    public void Add(RpcConnection connection) => _open[connection] = true;

    public void Remove(RpcConnection connection) => _open.TryRemove(connection, out _);

    /// <summary>Stops reading on every connection; each drains its outbox and closes.</summary>
    public void CloseAll()
    {
        foreach (var connection in _open.Keys)
        {
            connection.Close();
        }
    }
}
