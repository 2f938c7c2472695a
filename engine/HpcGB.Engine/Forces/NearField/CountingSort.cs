using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>The bucket of an item of a <see cref="CountingSort"/> (a struct, so that the sort's loop inlines it).</summary>
internal interface ISortKey
{
    /// <summary>The bucket of item <paramref name="item"/>, in [0, buckets).</summary>
    int Of(int item);
}

/// <summary>Copies an item of a <see cref="CountingSort"/>'s input to its sorted position (a struct, inlined).</summary>
internal interface ISortMove
{
    void Move(int item, int position);
}

/// <summary>
/// A stable counting sort of the items [begin, end) by bucket, in <c>parts</c> contiguous ranges of items on as many
/// threads: each range's buckets and counts per bucket, their exclusive prefix sums over (bucket, range), and a stable
/// scatter, so the sorted order is the same for every number of parts. The caller maps items to buckets
/// (<see cref="ISortKey"/>) and moves its data (<see cref="ISortMove"/>). Used by <see cref="CellList"/> (by cell) and
/// <see cref="ClusterGrid"/> (by column, then each column by row on one thread per share of columns).
/// </summary>
internal sealed class CountingSort
{
    /// <summary>Bucket of item begin + i.</summary>
    private int[] _bucketOf = [];

    /// <summary>Per range: its count per bucket, then the next position per bucket.</summary>
    private int[][] _next = [];

    /// <summary>
    /// Sorts the items [<paramref name="begin"/>, <paramref name="end"/>) into buckets 0 … <paramref name="buckets"/> − 1,
    /// moving them to the positions from <paramref name="destination"/> on. Writes the first position of bucket b to
    /// <paramref name="starts"/>[<paramref name="startsOffset"/> + b] and returns the end position.
    /// </summary>
    public int Sort<TKey, TMove>(int begin, int end, int buckets, int parts, int destination, int[] starts, int startsOffset,
        TKey key, TMove move)
        where TKey : struct, ISortKey
        where TMove : struct, ISortMove
    {
        int count = end - begin;
        if (_bucketOf.Length < count)
        {
            _bucketOf = new int[count];
        }
        if (_next.Length != parts || _next[0].Length != buckets)
        {
            _next = new int[parts][];
            for (int k = 0; k < parts; k++)
            {
                _next[k] = new int[buckets];
            }
        }
        // Count, then exclusive prefix sums over (bucket, range): where each range's items of each bucket go; then scatter.
        if (parts == 1)
        {
            CountRange(begin, end, begin, _next[0], key);
            int filled = Starts(_next[0].AsSpan(0, buckets), starts.AsSpan(startsOffset, buckets), destination);
            ScatterRange(begin, end, begin, _next[0], move);
            return filled;
        }
        CountInParallel(begin, count, parts, key);
        int running = Starts(buckets, parts, starts, startsOffset, destination);
        ScatterInParallel(begin, count, parts, move);
        return running;
    }

    /// <summary>The prefix sums of one range (a column's rows: a few thousand buckets, a sort per column, so a lean loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Starts(Span<int> next, Span<int> starts, int running)
    {
        for (int b = 0; b < next.Length; b++)
        {
            starts[b] = running;
            int size = next[b];
            next[b] = running;
            running += size;
        }
        return running;
    }

    /// <summary>The prefix sums over (bucket, range) of several ranges.</summary>
    private int Starts(int buckets, int parts, int[] starts, int startsOffset, int running)
    {
        for (int b = 0; b < buckets; b++)
        {
            starts[startsOffset + b] = running;
            for (int k = 0; k < parts; k++)
            {
                int size = _next[k][b];
                _next[k][b] = running;
                running += size;
            }
        }
        return running;
    }

    // The closures live here, so that a one-part sort allocates nothing.
    private void CountInParallel<TKey>(int begin, int count, int parts, TKey key)
        where TKey : struct, ISortKey =>
        CellList.ForEachPart(parts, k => CountRange(RangeBegin(begin, count, k, parts), RangeBegin(begin, count, k + 1, parts), begin, _next[k], key));

    private void ScatterInParallel<TMove>(int begin, int count, int parts, TMove move)
        where TMove : struct, ISortMove =>
        CellList.ForEachPart(parts, k => ScatterRange(RangeBegin(begin, count, k, parts), RangeBegin(begin, count, k + 1, parts), begin, _next[k], move));

    private static int RangeBegin(int begin, int count, int part, int parts) => begin + (int)((long)count * part / parts);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountRange<TKey>(int first, int last, int begin, int[] counts, TKey key)
        where TKey : struct, ISortKey
    {
        Array.Clear(counts);
        int[] bucketOf = _bucketOf;
        for (int i = first; i < last; i++)
        {
            int bucket = key.Of(i);
            bucketOf[i - begin] = bucket;
            counts[bucket]++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScatterRange<TMove>(int first, int last, int begin, int[] next, TMove move)
        where TMove : struct, ISortMove
    {
        int[] bucketOf = _bucketOf;
        for (int i = first; i < last; i++)
        {
            move.Move(i, next[bucketOf[i - begin]]++);
        }
    }
}
