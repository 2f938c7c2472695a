using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// Particles of one sign as a density on a <see cref="ContinuumGrid"/>: each particle carries mass 1/n (the empirical
/// measure μ_n^± of docs/model.md §1) spread by cloud-in-cell (linear weights to the two nearest cell centres per axis),
/// so the result is comparable with the continuum's cell averages and its total is exactly n_±/n.
/// </summary>
public static class ParticleDeposit
{
    /// <summary>The cell densities (mass per cell volume) of the particles with sign <paramref name="sign"/>.</summary>
    public static double[] CloudInCell(ContinuumGrid grid, ParticleState state, int sign)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Dimension != grid.Dimension)
        {
            throw new ArgumentException($"particles in dimension {state.Dimension}, grid in {grid.Dimension}", nameof(state));
        }
        var density = new double[grid.CellCount];
        double weight = 1.0 / (state.Count * grid.CellVolume);
        int m1 = grid.M1, m2 = grid.M2;
        for (int i = 0; i < state.Count; i++)
        {
            if (state.Signs[i] != sign)
            {
                continue;
            }
            var (i0, i1, f1) = Split(state.Positions[0][i], m1);
            if (grid.Dimension == 1)
            {
                density[i0] += weight * (1 - f1);
                density[i1] += weight * f1;
                continue;
            }
            var (j0, j1, f2) = Split(state.Positions[1][i], m2);
            density[i0 * m2 + j0] += weight * (1 - f1) * (1 - f2);
            density[i0 * m2 + j1] += weight * (1 - f1) * f2;
            density[i1 * m2 + j0] += weight * f1 * (1 - f2);
            density[i1 * m2 + j1] += weight * f1 * f2;
        }
        return density;
    }

    /// <summary>The two cells whose centres bracket x (periodic) and the weight of the second.</summary>
    private static (int Low, int High, double Fraction) Split(double x, int m)
    {
        double s = Torus.Wrap(x) * m - 0.5;
        double floor = Math.Floor(s);
        int low = (int)floor;
        double fraction = s - floor;
        low = low < 0 ? low + m : low;
        int high = low + 1 == m ? 0 : low + 1;
        return (low, high, fraction);
    }
}
