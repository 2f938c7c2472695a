using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace HpcGB.Host.Service;

/// <summary>
/// Kestrel's socket listener with a gate in front of <c>accept()</c>: at most <see cref="ConnectionRegistry.Sockets"/>
/// sockets are open at once, counted until each is disposed. Kestrel's own connection limit acts only after a socket
/// was accepted, so a burst of connections could open descriptors past <c>ulimit -n</c> — where accept() fails for
/// everyone and the runtime, unable to load an assembly, breaks for good. Beyond the gate, connections wait in the
/// kernel's backlog instead; the registry's eviction of idle connections keeps the gate moving.
/// </summary>
internal sealed class AcceptGate(IConnectionListenerFactory sockets, ConnectionRegistry connections) : IConnectionListenerFactory
{
    private readonly SemaphoreSlim _open = new(connections.Sockets, connections.Sockets);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), _open);

    private sealed class Listener(IConnectionListener inner, SemaphoreSlim open) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            await open.WaitAsync(cancellationToken).ConfigureAwait(false);
            ConnectionContext? accepted;
            try
            {
                accepted = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                open.Release();
                throw;
            }
            if (accepted is null)
            {
                open.Release(); // the listener was unbound
                return null;
            }
            return new Counted(accepted, open);
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>A connection that gives its place back once its socket is disposed.</summary>
    private sealed class Counted(ConnectionContext inner, SemaphoreSlim open) : ConnectionContext
    {
        private int _released;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override System.IO.Pipelines.IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override void Abort() => inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    open.Release();
                }
            }
        }
    }
}
