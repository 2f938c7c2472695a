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
}
