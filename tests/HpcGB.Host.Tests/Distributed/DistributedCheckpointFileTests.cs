using HpcGB.Client.Wire;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Simulation;
using HpcGB.Host.Service;
using MessagePack;

namespace HpcGB.Host.Tests.Distributed;

/// <summary>
/// The slabs a distributed run adds to the serial checkpoint file: an optional key that comes back as written, is
/// absent from serial checkpoints (so their files are unchanged), and is refused when it is not a list of mesh rows.
/// </summary>
public class DistributedCheckpointFileTests
{
    [Fact]
    public void Slabs_come_back_as_written_and_serial_checkpoints_have_none()
    {
        var withSlabs = CheckpointFile.Decode(CheckpointFile.Encode(Data([0, 24, 60, 90])));
        Assert.Equal([0, 24, 60, 90], withSlabs.Slabs!);
        Assert.Equal(Data(null).Snapshot.Positions, withSlabs.Snapshot.Positions);

        byte[] serial = CheckpointFile.Encode(Data(null));
        Assert.Null(CheckpointFile.Decode(serial).Slabs);
        Assert.False(Root(serial).ContainsKey("slabs"));
    }

    [Theory]
    [InlineData("rows")]
    [InlineData(-3L)]
    public void Slabs_that_are_not_mesh_rows_are_refused(object row)
    {
        var root = Root(CheckpointFile.Encode(Data([0, 45, 90])));
        root["slabs"] = new object?[] { 0L, row, 90L };
        byte[] file = CheckpointFile.Seal(WireWriter.ToBytes(buffer =>
        {
            var writer = new MessagePackWriter(buffer);
            WireWriter.WriteValue(ref writer, root);
            writer.Flush();
        }));
        var refusal = Assert.Throws<FormatException>(() => CheckpointFile.Decode(file));
        Assert.StartsWith("slabs:", refusal.Message, StringComparison.Ordinal);
    }

    private static CheckpointData Data(int[]? slabs)
    {
        double[][] positions = [[0.1, 0.5, 0.9], [0.2, 0.4, 0.6]];
        var integrator = new IntegratorCheckpoint("dp45", 0.01, 1e-3, 0.5, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], 3, 1, 22);
        var run = new SimulationCheckpoint(0.01, 2, positions, integrator, 2);
        return new CheckpointData("{}", [1, -1, 1], RunSnapshot.At(run, last: null), slabs);
    }

    private static Dictionary<object, object?> Root(byte[] file) =>
        new((IDictionary<object, object?>)MessagePackSerializer.Deserialize<object?>(file.AsMemory(52))!);
}
