using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>Explicit particles: positions wrapped into [0,1)^d and copied into the structure-of-arrays state.</summary>
internal static class ExplicitInit
{
    public static ParticleState Create(int dimension, ExplicitParticles source)
    {
        int n = source.Signs.Length;
        if (source.Positions.Length != n)
        {
            throw new SpecException(
                "$.particles.signs", $"has {n} entries but positions has {source.Positions.Length}; they must be equal");
        }
        var state = ParticleState.Zeros(dimension, (sbyte[])source.Signs.Clone());
        for (int i = 0; i < n; i++)
        {
            string path = $"$.particles.positions[{i}]";
            double[] point = source.Positions[i];
            if (point.Length != dimension)
            {
                throw new SpecException(path, $"needs {dimension} coordinates, got {point.Length}");
            }
            for (int a = 0; a < dimension; a++)
            {
                if (!double.IsFinite(point[a]))
                {
                    throw new SpecException(path, $"coordinate {a} is not finite");
                }
                state.Positions[a][i] = Torus.Wrap(point[a]);
            }
            if (source.Signs[i] is not (1 or -1))
            {
                throw new SpecException($"$.particles.signs[{i}]", $"must be 1 or -1, got {source.Signs[i]}");
            }
        }
        return state;
    }
}
