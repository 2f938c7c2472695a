using System.Buffers;
using HpcGB.Client.Wire;
using MessagePack;

namespace HpcGB.Host.Tests.Service;

/// <summary>The shared wire format without a server: framing, ndarrays, lenient decoding.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void NdArrayRoundTripsThroughARequestBitForBit()
    {
        double[][] axes = [[0.1, -2.5e-300, double.Epsilon], [1.0 / 3, 7, -0.0]];
        var bytes = WireWriter.ToBytes(b => WireWriter.WriteRequest(b, 9, "x", [NdArray.FromAxes(axes), NdArray.FromSigns([1, -1, 1])]));
        var request = Assert.IsType<RpcRequest>(new WireDecoder(32).Decode(new ReadOnlySequence<byte>(bytes)));
        var array = NdArray.Parse(Assert.IsAssignableFrom<IDictionary<object, object?>>(request.Params[0]), "params[0]");
        Assert.Equal("<f8", array.Type);
        Assert.Equal([3, 2], array.Shape);
        var back = array.ToAxes();
        for (int a = 0; a < 2; a++)
        {
            Assert.Equal(axes[a].Select(BitConverter.DoubleToInt64Bits), back[a].Select(BitConverter.DoubleToInt64Bits));
        }
        var signs = NdArray.Parse((IDictionary<object, object?>)request.Params[1]!, "params[1]");
        Assert.Equal([1.0, -1.0, 1.0], signs.ToDoubles());
    }

    public static TheoryData<string, string> BadArrays => new()
    {
        { "kind", "params[0].kind: must be empty (plain dtypes only; object arrays 'O' are refused), got 'O'" },
        { "type", "params[0].type: unsupported dtype '<c16'" },
        { "data", "params[0].data: 8 bytes, but shape [2] of '<f8' needs 16" },
        { "shape", "params[0].shape[0]: must be a non-negative integer" },
        { "key", "params[0]: ndarray keys must be bin (msgpack-numpy layout), got str 'nd'" },
    };

    [Theory]
    [MemberData(nameof(BadArrays))]
    public void BadNdArraysAreRefusedNamingTheEntry(string flaw, string message)
    {
        var map = new Dictionary<object, object?>
        {
            [Bin("nd")] = true,
            [Bin("type")] = flaw == "type" ? "<c16" : "<f8",
            [Bin("kind")] = flaw == "kind" ? Bin("O") : Array.Empty<byte>(),
            [Bin("shape")] = new object?[] { flaw == "shape" ? -2 : 2 },
            [Bin("data")] = new byte[flaw == "data" ? 8 : 16],
        };
        if (flaw == "key")
        {
            map.Remove(map.Keys.First());
            map["nd"] = true;
        }
        var error = Assert.Throws<FormatException>(() => NdArray.Parse(map, "params[0]"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumbersAreReadLeniently()
    {
        Assert.Equal(0.5, WireValues.TryDouble(0.5f));
        Assert.Equal(3.0, WireValues.TryDouble((byte)3));
        Assert.Equal(-7.0, WireValues.TryDouble((sbyte)-7));
        Assert.Equal(1e19, WireValues.TryDouble(10_000_000_000_000_000_000UL));
        Assert.Null(WireValues.TryDouble("1.0"));
        Assert.Null(WireValues.TryLong(1.0));
        Assert.Equal("run", WireValues.TryString("run"u8.ToArray()));
        Assert.Null(WireValues.TryString(new byte[] { 0xff, 0xfe }));
    }

    [Fact]
    public void TheScannerRejectsTheReservedByteAndOversizeMessages()
    {
        Assert.Equal(FrameStatus.Malformed, new FrameScanner(100).Scan(new ReadOnlySequence<byte>([0x92, 0x01, 0xc1])));
        // A str32 header announcing 1 GiB: refused before any payload arrives.
        Assert.Equal(FrameStatus.TooLarge, new FrameScanner(1 << 20).Scan(new ReadOnlySequence<byte>([0xdb, 0x40, 0x00, 0x00, 0x00])));
        // An array32 claiming 2^32 − 1 elements is only incomplete until the bytes run past the limit.
        var scanner = new FrameScanner(16);
        Assert.Equal(FrameStatus.Incomplete, scanner.Scan(new ReadOnlySequence<byte>([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])));
        Assert.Equal(FrameStatus.TooLarge, scanner.Scan(new ReadOnlySequence<byte>([0xdd, 0xff, 0xff, 0xff, 0xff, .. new byte[12]])));
    }

    private static byte[] Bin(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
