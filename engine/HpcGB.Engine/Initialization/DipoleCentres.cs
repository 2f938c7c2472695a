using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>
/// Well-separated dipole centres following a centre density (uniform when null), as in the paper's
/// Corollary 4.2 (1D) and Theorem 4.4 (2D). Besides the centres it returns a guaranteed lower bound on their
/// periodic nearest-neighbour distance, against which the dipole half-width is checked.
/// </summary>
internal static class DipoleCentres
{
    /// <summary>Largest jitter of a 2D centre from its lattice cell's centre, per axis, in cell widths.</summary>
    public const double Jitter = 0.25;

    private const string DensityPath = "$.particles.centre_density";

    /// <summary>Centres as <c>centres[axis][k]</c> in [0,1)^d and the minimum spacing bound.</summary>
    public static (double[][] Centres, double MinSpacing) Create(
        int dimension, int count, DensityGrid? density, SeededRandom random)
    {
        if (density is not null)
        {
            DensityInit.Mass(density, dimension, DensityPath);
            if (density.Values.All(v => v == 0))
            {
                throw new SpecException(DensityPath, "total mass is zero");
            }
        }
        return dimension == 1 ? Quantiles(count, density) : Lattice(count, density, random);
    }

    /// <summary>
    /// 1D: z_k = F^{−1}((k + ½)/count), the midpoint quantiles of the piecewise-constant density (uniform:
    /// (k + ½)/count). Consecutive centres are then ≥ 1/(count·ρ_max/ρ_mean) apart; the exact minimum is returned.
    /// </summary>
    private static (double[][], double) Quantiles(int count, DensityGrid? density)
    {
        var z = new double[count];
        if (density is null)
        {
            for (int k = 0; k < count; k++)
            {
                z[k] = (k + 0.5) / count;
            }
        }
        else
        {
            double[] values = density.Values;
            int cells = values.Length;
            double total = values.Sum();
            double below = 0; // normalised mass of the cells before `cell`
            int cell = 0;
            for (int k = 0; k < count; k++)
            {
                double level = (k + 0.5) / count;
                while (cell < cells - 1 && (values[cell] == 0 || below + values[cell] / total <= level))
                {
                    below += values[cell] / total;
                    cell++;
                }
                double inside = values[cell] > 0 ? (level - below) / (values[cell] / total) : 0.5;
                z[k] = (cell + Math.Clamp(inside, 0.0, 1.0)) / cells;
            }
        }
        double spacing = 1.0 - z[count - 1] + z[0];
        for (int k = 1; k < count; k++)
        {
            spacing = Math.Min(spacing, z[k] - z[k - 1]);
        }
        return ([z], spacing);
    }

    /// <summary>
    /// 2D: an L×L lattice with L² ≥ count·ρ_max/ρ_mean, so that no lattice cell's share count·mass(cell)/mass
    /// exceeds one; <see cref="SequentialRounding"/> along the serpentine path then gives each lattice cell 0 or
    /// 1 centre with every run of neighbouring cells within ±1 of its share (a uniform density with
    /// count &lt; L² leaves evenly spread holes). A centre sits at its cell centre plus a seeded jitter of at
    /// most <see cref="Jitter"/> cell per axis, so centres are ≥ (1 − 2·Jitter)/L apart.
    /// </summary>
    private static (double[][], double) Lattice(int count, DensityGrid? density, SeededRandom random)
    {
        double peak = density is null ? 1.0 : density.Values.Max() / density.Values.Average();
        // The (1 − 1e-12) keeps a perfect-square count on its own lattice despite the rounding of peak;
        // a lattice that still gets a cell with two centres is refined.
        int size = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count * peak) * (1 - 1e-12)));
        int[] occupied;
        while (true)
        {
            if ((long)size * size > 64L * count + 4096)
            {
                throw new SpecException(DensityPath, $"is too peaked (max/mean = {peak:G4}) to place {count} separated centres");
            }
            double[] masses = density is null ? Enumerable.Repeat(1.0, size * size).ToArray() : CellMasses(density, size);
            occupied = SequentialRounding.Allot(masses, SequentialRounding.Serpentine(size, size), count, random);
            if (occupied.Max() <= 1)
            {
                break;
            }
            size++;
        }

        var z1 = new double[count];
        var z2 = new double[count];
        int k = 0;
        for (int cell = 0; cell < occupied.Length; cell++)
        {
            if (occupied[cell] == 0)
            {
                continue;
            }
            int p = cell / size, q = cell % size;
            z1[k] = (p + 0.5 + random.NextDouble(-Jitter, Jitter)) / size;
            z2[k] = (q + 0.5 + random.NextDouble(-Jitter, Jitter)) / size;
            k++;
        }
        return ([z1, z2], (1 - 2 * Jitter) / size);
    }

    /// <summary>
    /// Exact mass of each cell of an L×L lattice under a piecewise-constant M1×M2 density, separably:
    /// first along x1 (rows[p][i2]), then along x2; only overlapping index ranges are visited.
    /// </summary>
    private static double[] CellMasses(DensityGrid density, int size)
    {
        int rowsM = density.Shape[0], columns = density.Shape[1];
        var overlap1 = Overlaps(rowsM, size);
        var overlap2 = Overlaps(columns, size);
        var masses = new double[size * size];
        var row = new double[columns];
        for (int p = 0; p < size; p++)
        {
            Array.Clear(row);
            var (first1, weights1) = overlap1[p];
            for (int j = 0; j < weights1.Length; j++)
            {
                int offset = (first1 + j) * columns;
                for (int i2 = 0; i2 < columns; i2++)
                {
                    row[i2] += weights1[j] * density.Values[offset + i2];
                }
            }
            for (int q = 0; q < size; q++)
            {
                var (first2, weights2) = overlap2[q];
                double m = 0;
                for (int j = 0; j < weights2.Length; j++)
                {
                    m += weights2[j] * row[first2 + j];
                }
                masses[p * size + q] = m;
            }
        }
        return masses;
    }

    /// <summary>For each lattice cell p, the grid cells i meeting [p/L, (p+1)/L) from <c>First</c> on, with
    /// the overlap lengths |[p/L, (p+1)/L) ∩ [i/M, (i+1)/M)|.</summary>
    private static (int First, double[] Weights)[] Overlaps(int gridCells, int size)
    {
        var overlaps = new (int, double[])[size];
        for (int p = 0; p < size; p++)
        {
            double lo = (double)p / size, hi = (double)(p + 1) / size;
            int first = Math.Min(gridCells - 1, (int)Math.Floor(lo * gridCells));
            int last = Math.Min(gridCells - 1, (int)Math.Ceiling(hi * gridCells));
            var weights = new double[last - first + 1];
            for (int i = first; i <= last; i++)
            {
                double length = Math.Min(hi, (double)(i + 1) / gridCells) - Math.Max(lo, (double)i / gridCells);
                weights[i - first] = Math.Max(0, length);
            }
            overlaps[p] = (first, weights);
        }
        return overlaps;
    }
}
