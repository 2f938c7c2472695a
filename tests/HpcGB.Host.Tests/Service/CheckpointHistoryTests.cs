using HpcGB.Engine.Integrators;
using HpcGB.Host.Service;

namespace HpcGB.Host.Tests.Service;

/// <summary>The implicit integrator's BDF history in a checkpoint file: its order and the steps taken at it.</summary>
public sealed class CheckpointHistoryTests
{
    [Fact]
    public void TheOrderAndTheStepsAtItComeBackFromTheFile()
    {
        var decoded = CheckpointFile.Decode(CheckpointFile.Encode(WithHistory(new MultistepHistory(
            [0.5, 0.4, 0.3, 0.2, 0.1], Points(5), -1.25, Order: 4, StepsAtOrder: 3))));
        var history = decoded.Snapshot.Integrator!.History!;
        Assert.Equal(4, history.Order);
        Assert.Equal(3, history.StepsAtOrder);
        Assert.Equal([0.5, 0.4, 0.3, 0.2, 0.1], history.Times);
        Assert.Equal(-1.25, history.Energy);
    }

    /// <summary>A history written before the order was saved reads as order 0 (the integrator continues at ≤ 2).</summary>
    [Fact]
    public void AHistoryWithoutAnOrderReadsAsOrderZero()
    {
        var decoded = CheckpointFile.Decode(CheckpointFile.Encode(WithHistory(new MultistepHistory([0.5, 0.4, 0.3], Points(3), -1.25))));
        Assert.Equal(0, decoded.Snapshot.Integrator!.History!.Order);
        Assert.Equal(0, decoded.Snapshot.Integrator.History.StepsAtOrder);
    }

    private static double[][][] Points(int count) =>
        Enumerable.Range(0, count).Select(k => new[] { new[] { 0.1 * k, 0.2 }, new[] { 0.3, 0.4 } }).ToArray();

    private static CheckpointData WithHistory(MultistepHistory history)
    {
        var integrator = new IntegratorCheckpoint("implicit", 0.5, 0.1, 0, null, 4, 0, 12, history);
        var snapshot = new RunSnapshot(0.5, 2, [[0.1, 0.2], [0.3, 0.4]], integrator, null, 0);
        return new CheckpointData("{}", [1, -1], snapshot);
    }
}
