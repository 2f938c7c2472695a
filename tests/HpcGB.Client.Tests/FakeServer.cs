using System.Buffers;
using System.Net;
using System.Net.Sockets;
using HpcGB.Client.Wire;

namespace HpcGB.Client.Tests;

/// <summary>
/// One accepted loopback connection whose server side the test scripts byte by byte: what a broken or hostile
/// server could send, which the real one never does.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;

    private FakeServer(Socket socket, HpcgbClient client)
    {
        _socket = socket;
        Client = client;
    }

    public HpcgbClient Client { get; }

    public static async Task<FakeServer> StartAsync(HpcgbClientOptions? options = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();
        var client = await HpcgbClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, options);
        return new FakeServer(await accepting, client);
    }

    /// <summary>Reads the client's next request (requests are small: they come whole, one at a time here).</summary>
    public async Task<RpcRequest> ReceiveAsync()
    {
        var received = new List<byte>();
        var scanner = new FrameScanner(1 << 20);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Patience);
        while (scanner.Scan(new ReadOnlySequence<byte>([.. received])) != FrameStatus.Complete)
        {
            int count = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(count > 0, "the client closed the connection");
            received.AddRange(buffer.AsSpan(0, count));
            scanner.Reset();
        }
        return (RpcRequest)new WireDecoder(maxDepth: 64).Decode(new ReadOnlySequence<byte>([.. received]));
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Closes the server's end; the client sees the end of the stream.</summary>
    public void CloseServerSide() => _socket.Close();

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _socket.Dispose();
    }
}
