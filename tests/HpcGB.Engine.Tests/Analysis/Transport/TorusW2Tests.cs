using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Model;
using static HpcGB.Engine.Tests.Analysis.Transport.TransportFixtures;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class TorusW2Tests
{
    [Fact]
    public void ChoosesTheMethodBySize()
    {
        Assert.Equal(TransportMethod.Circle, TorusW2.Between(RandomPoints(1, 3000, 1), RandomPoints(1, 3000, 2)).Method);
        Assert.Equal(TransportMethod.Circle, TorusW2.Between(RandomPoints(1, 3000, 1), RandomPoints(1, 2999, 2)).Method);
        Assert.Equal(TransportMethod.Assignment, TorusW2.Between(RandomPoints(2, 50, 1), RandomPoints(2, 50, 2)).Method);
        var entropic = TorusW2.Between(RandomPoints(2, 50, 1), RandomPoints(2, 40, 2), new SinkhornOptions(Epsilon: 1e-2));
        Assert.Equal(TransportMethod.Sinkhorn, entropic.Method);
        Assert.Equal(1e-2, entropic.Epsilon);
    }

    [Fact]
    public void SplitsParticleStatesBySign()
    {
        // + particles moved by 0.1, − particles left in place.
        var x = RandomPoints(2, 40, 3);
        sbyte[] signs = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? (sbyte)-1 : (sbyte)1).ToArray();
        var a = new ParticleState(x, signs);
        var moved = x.Select((axis, k) => axis.Select((v, i) => signs[i] > 0 && k == 0 ? v + 0.1 : v).ToArray()).ToArray();
        var result = TorusW2.PerSign(a, new ParticleState(moved, signs));
        Assert.Equal(0.1, result.Positive!.Value, 1e-12);
        Assert.Equal(0, result.Negative!.Value, 1e-15);

        var onlyPositive = new ParticleState([[0.1, 0.2]], [1, 1]);
        Assert.Null(TorusW2.PerSign(onlyPositive, onlyPositive).Negative);
        var failure = Assert.Throws<ArgumentException>(() => TorusW2.PerSign(onlyPositive, new ParticleState([[0.1, 0.2]], [1, -1])));
        Assert.Contains("sign −: 0 particles in the first state and 1 in the second", failure.Message);
    }

    [Fact]
    public void ComparesA1DStateWithDensitiesPerSign()
    {
        const int n = 100;
        var positions = Enumerable.Range(0, 2 * n).Select(i => (i / 2 + 0.5) / n).ToArray();
        sbyte[] signs = Enumerable.Range(0, 2 * n).Select(i => i % 2 == 0 ? (sbyte)1 : (sbyte)-1).ToArray();
        var result = TorusW2.PerSign(new ParticleState([positions], signs), PiecewiseConstantDensity.Uniform, PiecewiseConstantDensity.Uniform);
        Assert.Equal(1.0 / (12.0 * n * n), result.Positive!.Squared, 1e-15);
        Assert.Equal(1.0 / (12.0 * n * n), result.Negative!.Squared, 1e-15);
    }
}
