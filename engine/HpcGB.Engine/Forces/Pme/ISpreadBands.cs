namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// Spreading's bands: groups of particle slots, an even number of them (or one), such that the bands of one parity
/// write disjoint mesh rows. Spreading runs the even bands in parallel, then the odd ones; each even band first clears
/// its <see cref="Cleared"/> rows, which no other band of its phase writes and which together cover the mesh once.
/// Every mesh point thus receives its terms in an order fixed by the bands: the same for any thread count.
/// </summary>
internal interface ISpreadBands
{
    /// <summary>Even, or 1 (spreading then runs serially).</summary>
    int Count { get; }

    /// <summary>The mesh rows [Begin, End) an even band clears before it spreads (counted from 0 without wrapping:
    /// Begin may be negative and End above M; at most M rows).</summary>
    (int Begin, int End) Cleared(int band);

    /// <summary>The band's ranges of particle slots.</summary>
    int Ranges(int band);

    /// <summary>The particle slots [Begin, End) of the band's range <paramref name="range"/>.</summary>
    (int Begin, int End) Slots(int band, int range);
}
