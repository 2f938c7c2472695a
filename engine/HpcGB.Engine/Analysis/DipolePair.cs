using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>A bound dipole: particle <paramref name="Positive"/> (b = +1) paired with <paramref name="Negative"/> (b = −1).</summary>
/// <param name="Width">Their nearest-image distance |x₊ − x₋|_T.</param>
public readonly record struct DipolePair(int Positive, int Negative, double Width)
{
    /// <summary>The dipole centre, the midpoint of the nearest-image segment, wrapped into [0,1)^d.</summary>
    public double[] Centre(ParticleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var centre = new double[state.Dimension];
        for (int a = 0; a < state.Dimension; a++)
        {
            double plus = state.Positions[a][Positive];
            centre[a] = Torus.Wrap(plus + 0.5 * Torus.Nearest(state.Positions[a][Negative] - plus));
        }
        return centre;
    }
}
