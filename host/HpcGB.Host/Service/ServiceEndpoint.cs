using System.Net;
using System.Net.Sockets;
using HpcGB.Client.Wire;
using HpcGB.Interop.Files;
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
        UnixDomainSocketEndPoint unix => $"unix:{unix}",
        var other => other?.ToString() ?? "not bound",
    };

    /// <summary>The bound TCP port (0 for a Unix socket).</summary>
    public int Port => _listener?.EndPoint is IPEndPoint ip ? ip.Port : 0;

    public void Configure(KestrelServerOptions kestrel)
    {
        var service = options.Value;
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        // The registry refuses beyond its limit with a reason; the AcceptGate, a little higher, is the hard stop.
        LoadMessagePack();
        if (service.UnixSocket is { } path)
        {
            RemoveStaleSocket(path);
            kestrel.ListenUnixSocket(path, Use);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(service.Host), service.Port, Use);
        }
    }

    /// <summary>
    /// Initialises MessagePack's resolvers now, while descriptors are free: their type initializers load assemblies,
    /// and a type initializer that fails once (no descriptor left) fails for the rest of the process.
    /// </summary>
    private static void LoadMessagePack() =>
        new WireDecoder(maxDepth: 4).Decode(new System.Buffers.ReadOnlySequence<byte>(
            WireWriter.ToBytes(output => WireWriter.WriteRequest(output, 0, "hello", [new Dictionary<string, object?> { ["a"] = 1.5 }]))));

    /// <summary>
    /// A socket file left by a server that is gone would make the bind fail, so it is removed; anything else at the
    /// path (a regular file given by mistake, a directory) is left alone and refused, as is a socket a live server
    /// still answers on.
    /// </summary>
    private static void RemoveStaleSocket(string path)
    {
        var type = FileKind.Of(path);
        if (type == FileType.Missing)
        {
            return;
        }
        if (type != FileType.Socket)
        {
            throw new ServiceSetupException(
                $"{ServiceOptions.Section}:{nameof(ServiceOptions.UnixSocket)}: {path} exists and is {FileKind.Describe(type)}, not a socket; remove it or choose another path");
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path); // nobody listens: left by a server that did not clean up
            return;
        }
        throw new ServiceSetupException(
            $"{ServiceOptions.Section}:{nameof(ServiceOptions.UnixSocket)}: {path} is in use by a running server");
    }

    private void Use(ListenOptions listener)
    {
        listener.UseConnectionHandler<RpcConnectionHandler>();
        _listener = listener;
    }
}
