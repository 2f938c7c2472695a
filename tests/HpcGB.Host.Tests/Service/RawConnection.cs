using System.Buffers;
using System.Net.Sockets;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>A bare socket to the server for framing tests: send any bytes, read decoded messages, see the close.</summary>
internal sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly FrameScanner _scanner = new(1L << 30);
    private readonly WireDecoder _decoder = new(64);
    private byte[] _buffer = new byte[1 << 16];
    private int _count;

    private RawConnection()
    {
    }

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var raw = new RawConnection();
        await raw._socket.ConnectAsync("127.0.0.1", port);
        return raw;
    }

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    /// <summary>Ends one direction: <see cref="SocketShutdown.Send"/> is a half-close (replies can still come).</summary>
    public void Shutdown(SocketShutdown how) => _socket.Shutdown(how);

    /// <summary>Sends one byte per write, flushing each (Nagle off), so the server sees every split.</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (int k = 0; k < bytes.Length; k++)
        {
            await _socket.SendAsync(bytes.AsMemory(k, 1));
        }
    }

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public async Task<RpcMessage?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _count);
            if (_scanner.Scan(sequence) == FrameStatus.Complete)
            {
                int length = (int)_scanner.Length;
                var message = _decoder.Decode(sequence.Slice(0, length));
                Buffer.BlockCopy(_buffer, length, _buffer, 0, _count - length);
                _count -= length;
                _scanner.Reset();
                return message;
            }
            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_count), timeout.Token);
            }
            catch (SocketException)
            {
                return null; // reset by the server: closed as well
            }
            if (read == 0)
            {
                return null;
            }
            _count += read;
        }
    }

    /// <summary>The response to <paramref name="msgId"/>, skipping notifications.</summary>
    public async Task<RpcResponse> ResponseAsync(uint msgId)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new IOException("server closed the connection");
            if (message is RpcResponse response && response.MsgId == msgId)
            {
                return response;
            }
        }
    }

    /// <summary>True when the server closes the connection (messages before the close are skipped).</summary>
    public async Task<bool> ClosedAsync()
    {
        while (true)
        {
            try
            {
                if (await ReceiveAsync() is null)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    public static byte[] Request(uint msgId, string method, params object?[] parameters) =>
        WireWriter.ToBytes(b => WireWriter.WriteRequest(b, msgId, method, parameters));

    public void Dispose() => _socket.Dispose();
}
