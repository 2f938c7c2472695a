using System.Globalization;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The torus cut into one slab per rank along x1: rank r owns mesh rows <see cref="Start"/>(r) …
/// <see cref="End"/>(r) − 1 of the particle mesh (2D; in 1D mesh points) and the particles whose x1 falls in them,
/// x1 ∈ [Start/M, End/M) as <see cref="RowOf"/> rounds it. Boundaries are multiples of <see cref="Granularity"/> rows
/// (the distributed FFT's blocks) and every slab has at least <see cref="MinimumRows"/> rows, so that the near field's
/// halo and the B-spline overlap come from the neighbouring slab alone. Slabs start even and move with the particles
/// (<see cref="Balanced"/>). Immutable.
/// </summary>
public sealed class SlabLayout
{
    private readonly int[] _starts;

    private SlabLayout(int mesh, int granularity, int minimumRows, int[] starts)
    {
        Mesh = mesh;
        Granularity = granularity;
        MinimumRows = minimumRows;
        _starts = starts;
    }

    /// <summary>Mesh rows along x1 (M).</summary>
    public int Mesh { get; }

    /// <summary>Slab boundaries are multiples of this many rows.</summary>
    public int Granularity { get; }

    /// <summary>The fewest rows a slab may have.</summary>
    public int MinimumRows { get; }

    /// <summary>The number of slabs (ranks).</summary>
    public int Ranks => _starts.Length - 1;

    /// <summary>First row of rank r's slab.</summary>
    public int Start(int rank) => _starts[rank];

    /// <summary>One past the last row of rank r's slab.</summary>
    public int End(int rank) => _starts[rank + 1];

    /// <summary>Rows of rank r's slab.</summary>
    public int Rows(int rank) => _starts[rank + 1] - _starts[rank];

    /// <summary>The slab's lower x1 boundary, Start/M.</summary>
    public double Origin(int rank) => (double)_starts[rank] / Mesh;

    /// <summary>The slab's width in x1, Rows/M.</summary>
    public double Width(int rank) => (double)Rows(rank) / Mesh;

    /// <summary>The boundaries, Start(0) … End(K − 1).</summary>
    public IReadOnlyList<int> Boundaries => _starts;

    /// <summary>
    /// The mesh row of x1 ∈ [0, 1]: ⌊M x1⌋, with M·x1 rounding up to M taken as row 0. The one rule that says which
    /// slab a particle is in, shared by the mesh's stencils.
    /// </summary>
    public static int RowOf(double x1, int mesh)
    {
        int row = (int)Math.Floor(x1 * mesh);
        return row >= mesh ? row - mesh : row < 0 ? row + mesh : row;
    }

    /// <summary>The rank whose slab holds <paramref name="row"/>.</summary>
    public int OwnerOfRow(int row)
    {
        int low = 0, high = Ranks - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_starts[middle] <= row)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }

    /// <summary>The rank whose slab holds wrapped x1 ∈ [0, 1].</summary>
    public int OwnerOf(double x1) => OwnerOfRow(RowOf(x1, Mesh));

    /// <summary>
    /// The fewest rows per slab for <paramref name="ranks"/> slabs: p − 1 (the B-spline overlap reaches one
    /// neighbour only), the near-field halo width h (one neighbour holds the whole halo; with one or two ranks 2h, so
    /// that no slab's first cell column touches the halo column, which then is the same rank's other side), rounded
    /// up to <paramref name="granularity"/>.
    /// </summary>
    public static int RequiredRows(int mesh, int ranks, int order, double halo, int granularity)
    {
        double width = ranks <= 2 ? 2 * halo : halo;
        int rows = Math.Max(order - 1, (int)Math.Ceiling(width * mesh));
        return Math.Max(granularity, (rows + granularity - 1) / granularity * granularity);
    }

    /// <summary>
    /// <paramref name="ranks"/> slabs of (as nearly as the granularity allows) equal width.
    /// </summary>
    /// <exception cref="SlabLimitException">The slabs would be thinner than <paramref name="minimumRows"/> rows; the message
    /// names the limit and the most ranks this system allows.</exception>
    public static SlabLayout Even(int mesh, int ranks, int granularity, int minimumRows, string limitReason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if (mesh % granularity != 0)
        {
            throw new ArgumentException($"mesh {mesh} is not a multiple of the granularity {granularity}", nameof(granularity));
        }
        int blocks = mesh / granularity, minimumBlocks = minimumRows / granularity;
        if ((long)ranks * minimumBlocks > blocks)
        {
            throw new SlabLimitException(string.Create(CultureInfo.InvariantCulture,
                $"{ranks} ranks: each slab of the {mesh}-row mesh needs at least {minimumRows} rows ({limitReason}), " +
                $"so this system allows at most {blocks / minimumBlocks} ranks; use fewer ranks, more particles or a looser forces.tolerance"));
        }
        var starts = new int[ranks + 1];
        for (int r = 0; r <= ranks; r++)
        {
            starts[r] = (int)((long)blocks * r / ranks) * granularity;
        }
        return new SlabLayout(mesh, granularity, minimumRows, starts);
    }

    /// <summary>Blocks of <see cref="Granularity"/> rows: the units slab boundaries move by.</summary>
    public int Blocks => Mesh / Granularity;

    /// <summary>The block of wrapped x1.</summary>
    public int BlockOf(double x1) => RowOf(x1, Mesh) / Granularity;

    /// <summary>
    /// Slabs that share <paramref name="blockCounts"/> (particles per block of <see cref="Granularity"/> rows, summed
    /// over all ranks) out as evenly as the minimum width allows: boundary r at the first block where the running
    /// count reaches r/K of the total. Every rank computes the same layout from the same counts.
    /// </summary>
    public SlabLayout Balanced(ReadOnlySpan<double> blockCounts)
    {
        int ranks = Ranks, blocks = Blocks, minimumBlocks = MinimumRows / Granularity;
        if (blockCounts.Length != blocks)
        {
            throw new ArgumentException($"need {blocks} block counts, got {blockCounts.Length}", nameof(blockCounts));
        }
        var cumulative = new double[blocks + 1];
        for (int b = 0; b < blocks; b++)
        {
            cumulative[b + 1] = cumulative[b] + blockCounts[b];
        }
        double total = cumulative[blocks];
        var starts = new int[ranks + 1];
        starts[ranks] = Mesh;
        int previous = 0;
        for (int r = 1; r < ranks; r++)
        {
            double target = total * r / ranks;
            int block = previous + minimumBlocks;
            while (block < blocks && cumulative[block] < target)
            {
                block++;
            }
            block = Math.Clamp(block, previous + minimumBlocks, blocks - (ranks - r) * minimumBlocks);
            starts[r] = block * Granularity;
            previous = block;
        }
        return new SlabLayout(Mesh, Granularity, MinimumRows, starts);
    }

    /// <summary>
    /// This layout with the boundaries <paramref name="starts"/> (a checkpointed run's slabs), or null when they do not
    /// fit it: another number of ranks, not 0 … M, not on the granularity, or a slab under the minimum width.
    /// </summary>
    public SlabLayout? WithBoundaries(IReadOnlyList<int> starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count != _starts.Length || starts[0] != 0 || starts[^1] != Mesh)
        {
            return null;
        }
        for (int r = 0; r < Ranks; r++)
        {
            if (starts[r] % Granularity != 0 || starts[r + 1] - starts[r] < MinimumRows)
            {
                return null;
            }
        }
        return new SlabLayout(Mesh, Granularity, MinimumRows, starts.ToArray());
    }

    /// <summary>Particles per slab from particles per block (<see cref="Blocks"/> values).</summary>
    public double[] Counts(ReadOnlySpan<double> blockCounts)
    {
        var perRank = new double[Ranks];
        for (int b = 0; b < blockCounts.Length; b++)
        {
            perRank[OwnerOfRow(b * Granularity)] += blockCounts[b];
        }
        return perRank;
    }

    /// <summary>max / mean of <paramref name="counts"/> (1 when balanced; 1 for no particles).</summary>
    public static double Imbalance(IReadOnlyList<double> counts)
    {
        double total = counts.Sum();
        return total == 0 ? 1 : counts.Max() * counts.Count / total;
    }

    public override string ToString() => $"slabs [{string.Join(", ", _starts)}] of {Mesh} rows";
}

/// <summary>A run asks for more ranks than its system can be cut into (slabs thinner than the cut-off or the stencil).</summary>
public sealed class SlabLimitException(string message) : Exception(message);
