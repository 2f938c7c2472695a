using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>
/// <c>init: uniform</c>: n independent uniform points (coordinates drawn particle by particle, x1 first) and
/// exactly round(n·fraction) + signs (half away from zero) in a shuffled order. Deterministic for a seed.
/// </summary>
internal static class UniformInit
{
    public static ParticleState Create(int dimension, UniformParticles source, SeededRandom random)
    {
        int n = source.Count;
        if (n < 1)
        {
            throw new SpecException("$.particles.n", $"must be at least 1, got {n}");
        }
        if (source.PositiveFraction is < 0 or > 1 || double.IsNaN(source.PositiveFraction))
        {
            throw new SpecException("$.particles.positive_fraction", $"must be in [0, 1], got {source.PositiveFraction}");
        }
        int positives = (int)Math.Round(n * source.PositiveFraction, MidpointRounding.AwayFromZero);
        var signs = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            signs[i] = i < positives ? (sbyte)1 : (sbyte)-1;
        }

        var state = ParticleState.Zeros(dimension, signs);
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < dimension; a++)
            {
                state.Positions[a][i] = random.NextDouble();
            }
        }
        random.Shuffle(signs.AsSpan());
        return state;
    }
}
