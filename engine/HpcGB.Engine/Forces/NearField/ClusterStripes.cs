namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The cluster layout's columns cut into stripes, so that the pair loop's threads write one shared force buffer
/// without a shared slot and without per-thread buffers to clear and sum (docs/performance.md, "Thirteenth pass: one
/// force buffer at n = 10⁶"). A row of column c lists only J ≥ I, so it writes the slots of columns c … c + reach and,
/// for the first reach columns, of the last reach columns (across the torus' edge). Every stripe but the last is
/// W ≥ reach columns wide, the last at least max(W, 2·reach), and their count is even (or 1): the even stripes' rows
/// then write disjoint slots (their stripe and the next one's first reach columns; stripe 0 also the last reach
/// columns), and so do the odd ones'. The pair loop runs the even stripes in parallel (phase 0), then the odd ones
/// (phase 1); every slot receives its terms in an order fixed by the stripes, which depend on the grid alone, so the
/// forces are the same bit for bit on any number of threads.
/// </summary>
internal sealed class ClusterStripes
{
    /// <summary>
    /// At most this many stripes (W = max(reach, ⌈columns / this⌉)): enough that each phase shares out evenly over the
    /// threads that pick its stripes in turn.
    /// </summary>
    public const int MaxCount = 64;

    private readonly int[] _firstColumn;

    /// <param name="columns">The grid's columns.</param>
    /// <param name="reach">Columns a row's list reaches to the right of its own (≥ 1).</param>
    public ClusterStripes(int columns, int reach)
    {
        Columns = columns;
        Reach = reach;
        int width = Math.Max(reach, (columns + MaxCount - 1) / MaxCount);
        // The most stripes, an even number, with W-wide ones before a last one of at least max(W, 2·reach).
        int count = (columns - Math.Max(width, 2 * reach)) / width + 1;
        // A grid whose rows reach every column (the list build scans them all) stays one stripe.
        count = count >= 2 && 2 * reach + 1 < columns ? count / 2 * 2 : 1;
        _firstColumn = new int[count + 1];
        for (int s = 0; s < count; s++)
        {
            _firstColumn[s] = s * width;
        }
        _firstColumn[count] = columns;
    }

    public int Columns { get; }

    public int Reach { get; }

    /// <summary>Number of stripes: even, or 1 where the grid is too narrow for two (the pair loop then runs serially).</summary>
    public int Count => _firstColumn.Length - 1;

    /// <summary>Phases of the pair loop: the even stripes, then the odd ones.</summary>
    public int Phases => Count == 1 ? 1 : 2;

    /// <summary>First column of <paramref name="stripe"/> (<see cref="Columns"/> for any stripe past the last).</summary>
    public int FirstColumn(int stripe) => stripe >= Count ? Columns : _firstColumn[stripe];

    /// <summary>
    /// The columns an even stripe clears before its rows run: its own and the next stripe's, less the grid's last reach
    /// columns, which stripe 0 clears (its rows write there): in its phase no other stripe writes them.
    /// </summary>
    public ((int Begin, int End) First, (int Begin, int End) Second) Cleared(int stripe)
    {
        int tail = Count == 1 ? Columns : Columns - Reach;
        var own = (FirstColumn(stripe), Math.Min(FirstColumn(stripe + 2), tail));
        return (own, stripe == 0 ? (tail, Columns) : (Columns, Columns));
    }

    /// <summary>
    /// The columns whose slots hold their final sums once the stripe's rows have run, scattered by its thread: after an
    /// odd stripe its own and the next one's (the last stripe: stripe 0's, whose slots only stripe 0 writes); with one
    /// stripe, all of them. Even stripes scatter nothing.
    /// </summary>
    public ((int Begin, int End) First, (int Begin, int End) Second) Scattered(int stripe)
    {
        if (Count == 1)
        {
            return ((0, Columns), (Columns, Columns));
        }
        if (stripe % 2 == 0)
        {
            return ((Columns, Columns), (Columns, Columns));
        }
        var own = (FirstColumn(stripe), FirstColumn(stripe + 2));
        return (own, stripe == Count - 1 ? (0, FirstColumn(1)) : (Columns, Columns));
    }
}
