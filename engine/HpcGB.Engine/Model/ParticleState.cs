namespace HpcGB.Engine.Model;

/// <summary>
/// Particles in structure-of-arrays layout: <c>Positions[axis][i]</c> and <c>Signs[i]</c> = ±1.
/// Positions are unwrapped (they may leave [0,1)^d during a run, so the centroid Σ x_i is tracked
/// exactly); every interaction reduces differences to the torus. Use <see cref="Torus.Wrap"/> for output.
/// </summary>
public sealed class ParticleState
{
    public ParticleState(double[][] positions, sbyte[] signs)
    {
        if (positions.Length is < 1 or > 2)
        {
            throw new ArgumentException("dimension must be 1 or 2", nameof(positions));
        }
        foreach (var axis in positions)
        {
            if (axis.Length != signs.Length)
            {
                throw new ArgumentException("every coordinate array needs one entry per sign", nameof(positions));
            }
        }
        Positions = positions;
        Signs = signs;
    }

    /// <summary>A zero-filled state with the given signs.</summary>
    public static ParticleState Zeros(int dimension, sbyte[] signs) =>
        new(Enumerable.Range(0, dimension).Select(_ => new double[signs.Length]).ToArray(), signs);

    public double[][] Positions { get; }

    public sbyte[] Signs { get; }

    public int Dimension => Positions.Length;

    public int Count => Signs.Length;

    /// <summary>A deep copy of the positions sharing the (immutable during a run) signs.</summary>
    public ParticleState Clone() => new(Positions.Select(a => (double[])a.Clone()).ToArray(), Signs);

    /// <summary>New arrays shaped like the positions (for velocities and integrator stages).</summary>
    public double[][] NewVectors() => Positions.Select(a => new double[a.Length]).ToArray();
}
