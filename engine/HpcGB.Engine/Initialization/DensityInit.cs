using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>
/// <c>init: density</c>, the quantisation of the paper's Lemma 2.4 on the spec's own grid:
/// 1. the two signs share the n particles in the ratio of their total masses (rounded to the nearest);
/// 2. each sign's count is shared among that sign's grid cells in proportion to the cell masses by
///    <see cref="SequentialRounding"/> along a serpentine path (the Lemma's carry to the neighbouring cell):
///    every cell gets ⌊n_±·mass(cell)/mass_±⌋ or one more, the counts add up exactly, and any run of
///    neighbouring cells holds its share ±1 even on grids finer than the particle spacing;
/// 3. inside a cell the particles are placed by jittered stratification (<see cref="CellSampler"/>).
/// Order: all + particles (cell by cell, row-major), then all − particles.
/// </summary>
internal static class DensityInit
{
    public static ParticleState Create(int dimension, DensityParticles source, SeededRandom random)
    {
        int n = source.Count;
        if (n < 1)
        {
            throw new SpecException("$.particles.n", $"must be at least 1, got {n}");
        }
        double positiveMass = Mass(source.Positive, dimension, "$.particles.positive");
        double negativeMass = Mass(source.Negative, dimension, "$.particles.negative");
        if (!(positiveMass + negativeMass > 0))
        {
            throw new SpecException("$.particles", "positive and negative both have zero total mass");
        }

        // The sign split is round(n·mass₊/(mass₊ + mass₋)), half away from zero as for init: uniform.
        int positives = (int)Math.Round(n * (positiveMass / (positiveMass + negativeMass)), MidpointRounding.AwayFromZero);
        int[] perSign = [positives, n - positives];
        var signs = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            signs[i] = i < perSign[0] ? (sbyte)1 : (sbyte)-1;
        }
        var state = ParticleState.Zeros(dimension, signs);
        Quantise(source.Positive, perSign[0], state.Positions, 0, random);
        Quantise(source.Negative, perSign[1], state.Positions, perSign[0], random);
        foreach (var axis in state.Positions)
        {
            for (int i = 0; i < axis.Length; i++)
            {
                axis[i] = Torus.Wrap(axis[i]);
            }
        }
        return state;
    }

    /// <summary>Particles per cell of a grid (sequential rounding of count·mass(cell)/mass along the
    /// serpentine path), row-major.</summary>
    internal static int[] CellCounts(DensityGrid grid, int count, SeededRandom random)
    {
        int[] path = SequentialRounding.Serpentine(grid.Shape[0], grid.Dimension == 2 ? grid.Shape[1] : 1);
        return SequentialRounding.Allot(grid.Values, path, count, random);
    }

    private static void Quantise(DensityGrid grid, int count, double[][] positions, int start, SeededRandom random)
    {
        int[] cellCounts = CellCounts(grid, count, random);
        int d = grid.Dimension;
        Span<double> origin = stackalloc double[d];
        Span<double> size = stackalloc double[d];
        int columns = d == 2 ? grid.Shape[1] : 1;
        for (int a = 0; a < d; a++)
        {
            size[a] = 1.0 / grid.Shape[a];
        }
        int p = start;
        for (int cell = 0; cell < cellCounts.Length; cell++)
        {
            if (cellCounts[cell] == 0)
            {
                continue;
            }
            // Row-major with x1 slowest: cell = i1·M2 + i2.
            origin[0] = (double)(cell / columns) / grid.Shape[0];
            if (d == 2)
            {
                origin[1] = (double)(cell % columns) / grid.Shape[1];
            }
            CellSampler.Place(cellCounts[cell], origin, size, positions, p, random);
            p += cellCounts[cell];
        }
    }

    /// <summary>Total mass Σ value·cell volume = the mean of the values; validates the grid.</summary>
    internal static double Mass(DensityGrid grid, int dimension, string path)
    {
        if (grid.Dimension != dimension || grid.Shape.Any(m => m < 1))
        {
            throw new SpecException(path, $"needs a {dimension}D grid with at least one cell per axis");
        }
        int cells = grid.Shape.Aggregate(1, (p, m) => checked(p * m));
        if (grid.Values.Length != cells)
        {
            throw new SpecException(path, $"has {grid.Values.Length} values for a grid of {cells} cells");
        }
        double sum = 0;
        foreach (double v in grid.Values)
        {
            if (!(v >= 0 && double.IsFinite(v)))
            {
                throw new SpecException(path, $"values must be finite and non-negative, got {v}");
            }
            sum += v;
        }
        if (!double.IsFinite(sum))
        {
            throw new SpecException(path, "total mass overflows");
        }
        return sum / cells;
    }
}
