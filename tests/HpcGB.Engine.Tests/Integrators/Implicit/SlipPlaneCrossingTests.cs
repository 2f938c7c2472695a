using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>
/// The glide check for a pair jumped across its slip-plane equilibrium (<see cref="SlipPlaneCrossing"/>), and
/// Gustafsson's predictive step factor (<see cref="OrderChoice.Predictive"/>) that made such captures frequent.
/// </summary>
public sealed class SlipPlaneCrossingTests
{
    private const double H = 1.1e-5; // the dipole of the peer workload that was captured on the wrong side

    [Theory]
    [InlineData(-6.4e-3, 1.1e-5, 1, -1, 1, true)] // captured at the mirror equilibrium: jumped over w = 0
    [InlineData(-6.4e-3, -1.1e-5, 1, -1, 1, false)] // captured on its own side
    [InlineData(-0.3 * H, 0.3 * H, 1, -1, 1, false)] // pushed through slowly: moved less than h
    [InlineData(-6.4e-3, 1.1e-5, 1, 1, 1, false)] // like signs attract through w = 0
    [InlineData(-6.4e-3, 1.1e-5, 1, -1, 2, false)] // isotropic: the pair may pass around
    public void FindsOnlyAnOppositePairJumpedAcrossUnderGlide(double before, double after, int first, int second, int moving, bool found)
    {
        var end = ParticleState.Zeros(2, [(sbyte)first, (sbyte)second]);
        end.Positions[0][0] = 0.5 + after;
        end.Positions[0][1] = 0.5;
        end.Positions[1][0] = 0.3 + H;
        end.Positions[1][1] = 0.3;
        double[][] start = [[0.5 + before, 0.5], [0.3 + H, 0.3]];
        var pairs = new NeighbourPairs();
        pairs.Build(end, 0.1);
        Assert.Equal(1, pairs.Count);
        var (i, _) = SlipPlaneCrossing.Find(pairs, end, start, moving);
        Assert.Equal(found, i >= 0);
    }

    [Fact]
    public void MirroringPutsAJumpedPairBackOnItsOwnSideAroundTheSameCentre()
    {
        var end = ParticleState.Zeros(2, [1, -1]);
        end.Positions[0][0] = 0.999995; // w = +1.1e-5 across the period's seam
        end.Positions[0][1] = 0.999995 - 1.1e-5;
        end.Positions[1][0] = 0.3 + H;
        end.Positions[1][1] = 0.3;
        double[][] start = [[0.99, 0.9964], [0.3 + H, 0.3]];
        var pairs = new NeighbourPairs();
        pairs.Build(end, 0.1);

        Assert.Equal(1, SlipPlaneCrossing.MirrorBack(pairs, end, start, 1));

        Assert.Equal(-1.1e-5, end.Positions[0][0] - end.Positions[0][1], 15);
        Assert.Equal(2 * 0.999995 - 1.1e-5, end.Positions[0][0] + end.Positions[0][1], 14);
        Assert.Equal(-1, SlipPlaneCrossing.Find(pairs, end, start, 1).First);
    }

    [Fact]
    public void APredictiveFactorShrinksTheStepWhenTheErrorGrows()
    {
        var last = new AcceptedError(1e-5, 0.35, 2);
        double plain = OrderChoice.Factor(0.7, 3, OrderChoice.Safety);
        Assert.Equal(plain * Math.Cbrt(0.5), OrderChoice.Predictive(0.7, 1e-5, last, 3), 12);
        Assert.True(OrderChoice.Predictive(0.2, 1e-5, last, 3) > OrderChoice.Factor(0.2, 3, OrderChoice.Safety));
    }
}
