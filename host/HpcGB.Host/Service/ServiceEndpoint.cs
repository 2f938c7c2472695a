using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Sets up Kestrel's one listener (TCP or a Unix socket) with the RPC connection handler and, once the host has
/// started, tells where it is bound (with port 0 Kestrel picks the port).
/// </summary>
internal sealed class ServiceEndpoint(IOptions<ServiceOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    private ListenOptions? _listener;

    /// <summary><c>tcp://127.0.0.1:7878</c> or <c>unix:/path</c>; valid after start.</summary>
    public string Address => _listener?.EndPoint switch
    {
        IPEndPoint ip => $"tcp://{ip}",
        System.Net.Sockets.UnixDomainSocketEndPoint unix => $"unix:{unix}",
        var other => other?.ToString() ?? "not bound",
    };

    /// <summary>The bound TCP port (0 for a Unix socket).</summary>
    public int Port => _listener?.EndPoint is IPEndPoint ip ? ip.Port : 0;

    public void Configure(KestrelServerOptions kestrel)
    {
        var service = options.Value;
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        if (service.UnixSocket is { } path)
        {
            // A socket file left by a previous server would make the bind fail; sockets have length 0, so a
            // regular file given by mistake is left alone (and the bind then reports it).
            if (File.Exists(path) && new FileInfo(path).Length == 0)
            {
                File.Delete(path);
            }
            kestrel.ListenUnixSocket(path, Use);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(service.Host), service.Port, Use);
        }
    }

    private void Use(ListenOptions listener)
    {
        listener.UseConnectionHandler<RpcConnectionHandler>();
        _listener = listener;
    }
}
