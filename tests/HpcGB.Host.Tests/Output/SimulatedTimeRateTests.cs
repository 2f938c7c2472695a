using HpcGB.Host.Output;

namespace HpcGB.Host.Tests.Output;

/// <summary>The progress bar's ETA follows the recent rate of simulated time, not the average since the start.</summary>
public sealed class SimulatedTimeRateTests
{
    [Fact]
    public void TheEtaFollowsTheRecentRate()
    {
        var rate = new SimulatedTimeRate(end: 1.0, window: 10);
        Assert.Null(rate.Remaining);
        // A slow start (0.1 in 40 s), then fast (0.1 per second): the remaining 0.5 takes 5 s, not 200 s.
        rate.Add(0, 0.0);
        rate.Add(40, 0.1);
        for (int s = 1; s <= 40; s++)
        {
            rate.Add(40 + s * 0.1, 0.1 + s * 0.01);
        }
        Assert.Equal(0.1, rate.Rate!.Value, 12);
        Assert.Equal(5.0, rate.Remaining!.Value, 9);
    }

    [Fact]
    public void AStalledRunHasNoEta()
    {
        var rate = new SimulatedTimeRate(end: 1.0, window: 5);
        rate.Add(0, 0.3);
        rate.Add(10, 0.3);
        Assert.Equal(0.0, rate.Rate);
        Assert.Null(rate.Remaining);
    }
}
