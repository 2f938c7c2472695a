using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>Whether the pair loop also sums the energy (a type, so that the JIT removes the unused half).</summary>
internal interface IEnergyMode
{
    static abstract bool Enabled { get; }
}

/// <summary>Forces only.</summary>
internal readonly struct ForcesOnly : IEnergyMode
{
    public static bool Enabled => false;
}

/// <summary>Forces and the pair energy sum.</summary>
internal readonly struct WithEnergy : IEnergyMode
{
    public static bool Enabled => true;
}

/// <summary>What one part of the cells contributed besides its force buffer.</summary>
internal struct PairLoopResult
{
    /// <summary>Σ b_i b_j s over the part's pairs.</summary>
    public double Energy;

    /// <summary>Pairs examined (same or neighbouring cells), before the cut-off test.</summary>
    public long CandidatePairs;

    /// <summary>Pairs within the cut-off (the ones the operator evaluated).</summary>
    public long PairsInRange;

    /// <summary>Sorted positions of the first pair closer than <see cref="CollisionException.Distance"/> (singular operators), or -1.</summary>
    public int CollisionFirst;

    public int CollisionSecond;

    public double CollisionSeparation;

    /// <summary>
    /// Records sorted positions i, j as the collision when their minimum-image separation is below √limit (the
    /// scalar re-check of the rare collision path); true if it did.
    /// </summary>
    public bool RecordCollision(int i, int j, double[] x1, double[] x2, double limit)
    {
        double d1 = x1[i] - x1[j], d2 = x2[i] - x2[j];
        d1 -= Math.Round(d1);
        d2 -= Math.Round(d2);
        double r2 = d1 * d1 + d2 * d2;
        if (!(r2 < limit))
        {
            return false; // also for the clusters' NaN padding slots
        }
        CollisionFirst = i;
        CollisionSecond = j;
        CollisionSeparation = Math.Sqrt(r2);
        return true;
    }
}

/// <summary>
/// The one pair loop, generic over the operator and the lane width, in three stages per cell c of a range:
/// <list type="number">
/// <item>Filter: for each particle i of c and each run of c (<see cref="CellList"/>), the partners j are taken
/// <c>TL.Count</c> at a time from the sorted arrays; the pairs within the cut-off (minimum image) are
/// left-packed into the scratch buffers (difference, b_i b_j, j), branch-free.</item>
/// <item>Evaluate: the operator over the packed pairs, full vectors over one contiguous stream (only pairs within
/// the cut-off, about a third of the candidates, pay for exp and E1).</item>
/// <item>Accumulate: g_i += b_i b_j ∇s, g_j −= b_i b_j ∇s (∇s is odd: Newton's third law) in the caller's force
/// buffer (sorted order), in pair order.</item>
/// </list>
/// Each unordered pair is visited once. Everything is in a fixed order: the result is deterministic.
/// </summary>
internal static class PairLoop<TOp>
    where TOp : struct, IShortRangeOperator
{
    /// <summary>Runs cells [cellBegin, cellEnd) into f1/f2 (sorted order, length ≥ n + padding, zeroed by the caller).</summary>
    /// <remarks>Fully optimised at once: no tier-0/OSR versions of the hot loop.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PairLoopResult Run<TL, TV, TM, TEnergy>(in TOp op, CellList cells, int cellBegin, int cellEnd,
        double[] f1, double[] f2, PairScratch scratch)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
        where TEnergy : struct, IEnergyMode
    {
        var result = new PairLoopResult { CollisionFirst = -1 };
        int[] start = cells.CellStart, runOffsets = cells.RunOffsets, runFirst = cells.RunFirst, runEnd = cells.RunEnd;
        TV energy = TL.Create(0.0);
        long candidates = 0, inRange = 0;

        for (int c = cellBegin; c < cellEnd; c++)
        {
            int iBegin = start[c], iEnd = start[c + 1];
            if (iBegin == iEnd)
            {
                continue;
            }
            int firstRun = runOffsets[c], lastRun = runOffsets[c + 1];
            long partners = 0;
            for (int r = firstRun; r < lastRun; r++)
            {
                partners += start[runEnd[r]] - start[runFirst[r]];
            }
            scratch.Ensure((iEnd - iBegin) * partners, iEnd - iBegin);

            int count = Filter<TL, TV, TM>(op, cells, c, scratch, ref candidates);
            inRange += count;
            Evaluate<TL, TV, TM, TEnergy>(op, scratch, count, ref energy, ref result);
            Accumulate(scratch, iBegin, iEnd, f1, f2);
            if (result.CollisionFirst == -2)
            {
                FindCollision(op, cells, c, ref result);
            }
        }
        result.Energy = TL.Sum(energy);
        result.CandidatePairs = candidates;
        result.PairsInRange = inRange;
        return result;
    }

    /// <summary>Stage 1: left-packs the pairs (i ∈ c, j &gt; i in c's runs) within the cut-off; returns their number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Filter<TL, TV, TM>(in TOp op, CellList cells, int c, PairScratch scratch, ref long candidates)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
    {
        int width = TL.Count;
        var rc2 = TL.Create(op.CutoffSquared);
        ref double x1 = ref MemoryMarshal.GetArrayDataReference(cells.X1);
        ref double x2 = ref MemoryMarshal.GetArrayDataReference(cells.X2);
        ref double sign = ref MemoryMarshal.GetArrayDataReference(cells.Sign);
        int[] segment = scratch.Segment;
        int[] start = cells.CellStart, runFirst = cells.RunFirst, runEnd = cells.RunEnd;
        int iBegin = start[c], iEnd = start[c + 1];
        int firstRun = cells.RunOffsets[c], lastRun = cells.RunOffsets[c + 1];
        int selfEnd = start[runEnd[firstRun]];
        var output = new PackedPairs(scratch);
        var step = TL.Create(width);
        int count = 0;
        for (int i = iBegin; i < iEnd; i++)
        {
            segment[i - iBegin] = count;
            var xi1 = TL.Create(x1.At(i));
            var xi2 = TL.Create(x2.At(i));
            var bi = TL.Create(sign.At(i));
            // The run that starts with cell c itself: only the partners after i.
            candidates += Math.Max(selfEnd - i - 1, 0);
            var end = TL.Create(selfEnd);
            var index = TL.Add(TL.Create(i + 1), TL.Indices);
            for (int j = i + 1; j < selfEnd; j += width)
            {
                count += Pack<TL, TV, TM>(ref x1, ref x2, ref sign, j, index, end, xi1, xi2, bi, rc2, output, count);
                index = TL.Add(index, step);
            }
            for (int r = firstRun + 1; r < lastRun; r++)
            {
                int jBegin = start[runFirst[r]], jEnd = start[runEnd[r]];
                candidates += jEnd - jBegin;
                end = TL.Create(jEnd);
                index = TL.Add(TL.Create(jBegin), TL.Indices);
                for (int j = jBegin; j < jEnd; j += width)
                {
                    count += Pack<TL, TV, TM>(ref x1, ref x2, ref sign, j, index, end, xi1, xi2, bi, rc2, output, count);
                    index = TL.Add(index, step);
                }
            }
        }
        segment[iEnd - iBegin] = count;
        // Pad the stream to whole vectors with pairs at distance 1 > r_c and weight 0: they contribute exactly 0.
        for (int k = count; k < count + width; k++)
        {
            scratch.D1[k] = 1.0;
            scratch.D2[k] = scratch.Weight[k] = 0.0;
        }
        return count;
    }

    /// <summary>The pairs (i, j … j + width − 1) with index &lt; end and r² &lt; r_c², left-packed at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pack<TL, TV, TM>(ref double x1, ref double x2, ref double sign, int j, TV index, TV end,
        TV xi1, TV xi2, TV bi, TV rc2, in PackedPairs output, int at)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
    {
        // Minimum-image difference x_i − x_j; lanes past the run (other particles, padding) are dropped.
        var d1 = TL.Subtract(xi1, TL.Load(ref x1, j));
        d1 = TL.Subtract(d1, TL.Round(d1));
        var d2 = TL.Subtract(xi2, TL.Load(ref x2, j));
        d2 = TL.Subtract(d2, TL.Round(d2));
        var r2 = TL.MultiplyAdd(d1, d1, TL.Multiply(d2, d2));
        var keep = TL.And(TL.LessThan(r2, rc2), TL.LessThan(index, end));
        var weight = TL.Multiply(bi, TL.Load(ref sign, j));
        return TL.Append(keep, d1, d2, weight, index,
            ref output.D1, ref output.D2, ref output.Weight, ref output.Partner, at);
    }

    /// <summary>The scratch buffers of the packed pairs, resolved once per cell.</summary>
    private readonly ref struct PackedPairs(PairScratch scratch)
    {
        public readonly ref double D1 = ref MemoryMarshal.GetArrayDataReference(scratch.D1);
        public readonly ref double D2 = ref MemoryMarshal.GetArrayDataReference(scratch.D2);
        public readonly ref double Weight = ref MemoryMarshal.GetArrayDataReference(scratch.Weight);
        public readonly ref double Partner = ref MemoryMarshal.GetArrayDataReference(scratch.Partner);
    }

    /// <summary>Stage 2: G = b_i b_j ∇s over the packed pairs (and the energy); flags a collision with -2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate<TL, TV, TM, TEnergy>(in TOp op, PairScratch scratch, int count, ref TV energy, ref PairLoopResult result)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
        where TEnergy : struct, IEnergyMode
    {
        ref double d1 = ref MemoryMarshal.GetArrayDataReference(scratch.D1);
        ref double d2 = ref MemoryMarshal.GetArrayDataReference(scratch.D2);
        ref double weight = ref MemoryMarshal.GetArrayDataReference(scratch.Weight);
        ref double g1Out = ref MemoryMarshal.GetArrayDataReference(scratch.G1);
        ref double g2Out = ref MemoryMarshal.GetArrayDataReference(scratch.G2);
        var collision2 = TL.Create(CollisionException.Distance * CollisionException.Distance);
        bool collided = false;
        for (int k = 0; k < count; k += TL.Count)
        {
            var x1 = TL.Load(ref d1, k);
            var x2 = TL.Load(ref d2, k);
            // r² again, by the same operations as in the filter (so the same value).
            var rr = TL.MultiplyAdd(x1, x1, TL.Multiply(x2, x2));
            var w = TL.Load(ref weight, k);
            if (op.IsSingularAtOrigin)
            {
                collided |= TL.Any(TL.LessThan(rr, collision2));
            }
            TV g1, g2;
            if (TEnergy.Enabled)
            {
                TL.GradientAndPotential(op, x1, x2, rr, out g1, out g2, out var s);
                energy = TL.MultiplyAdd(w, s, energy);
            }
            else
            {
                TL.Gradient(op, x1, x2, rr, out g1, out g2);
            }
            TL.Store(TL.Multiply(g1, w), ref g1Out, k);
            TL.Store(TL.Multiply(g2, w), ref g2Out, k);
        }
        if (collided && result.CollisionFirst == -1)
        {
            result.CollisionFirst = -2;
        }
    }

    /// <summary>Stage 3: g_i += G, g_j −= G for every packed pair, i by i.</summary>
    private static void Accumulate(PairScratch scratch, int iBegin, int iEnd, double[] f1, double[] f2)
    {
        ref double force1 = ref MemoryMarshal.GetArrayDataReference(f1);
        ref double force2 = ref MemoryMarshal.GetArrayDataReference(f2);
        double[] g1 = scratch.G1, g2 = scratch.G2, partner = scratch.Partner;
        int[] segment = scratch.Segment;
        for (int i = iBegin; i < iEnd; i++)
        {
            // Two partial sums per component: the adds of consecutive pairs do not wait for each other.
            double sum1 = 0, sum2 = 0, other1 = 0, other2 = 0;
            int k = segment[i - iBegin], kEnd = segment[i - iBegin + 1];
            for (; k + 1 < kEnd; k += 2)
            {
                int j = (int)partner[k], l = (int)partner[k + 1];
                double a = g1[k], b = g2[k], p = g1[k + 1], q = g2[k + 1];
                sum1 += a;
                sum2 += b;
                other1 += p;
                other2 += q;
                force1.At(j) -= a;
                force2.At(j) -= b;
                force1.At(l) -= p;
                force2.At(l) -= q;
            }
            if (k < kEnd)
            {
                int j = (int)partner[k];
                sum1 += g1[k];
                sum2 += g2[k];
                force1.At(j) -= g1[k];
                force2.At(j) -= g2[k];
            }
            force1.At(i) += sum1 + other1;
            force2.At(i) += sum2 + other2;
        }
    }

    /// <summary>Finds the first colliding pair of cell c again, in scalar, for the report (rare path).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FindCollision(in TOp op, CellList cells, int c, ref PairLoopResult result)
    {
        double limit = Math.Min(CollisionException.Distance * CollisionException.Distance, op.CutoffSquared);
        for (int i = cells.CellStart[c]; i < cells.CellStart[c + 1]; i++)
        {
            for (int r = cells.RunOffsets[c]; r < cells.RunOffsets[c + 1]; r++)
            {
                int jBegin = r == cells.RunOffsets[c] ? i + 1 : cells.CellStart[cells.RunFirst[r]];
                for (int j = jBegin; j < cells.CellStart[cells.RunEnd[r]]; j++)
                {
                    if (result.RecordCollision(i, j, cells.X1, cells.X2, limit))
                    {
                        return;
                    }
                }
            }
        }
    }
}

/// <summary>Per-part scratch of the pair loop: the packed pairs of one cell and their results.</summary>
internal sealed class PairScratch
{
    public double[] D1 { get; private set; } = [];

    public double[] D2 { get; private set; } = [];

    public double[] Weight { get; private set; } = [];

    /// <summary>Sorted position j of each pair's partner (exact in a double).</summary>
    public double[] Partner { get; private set; } = [];

    public double[] G1 { get; private set; } = [];

    public double[] G2 { get; private set; } = [];

    /// <summary>Pairs of the cell's k-th particle are Segment[k] .. Segment[k + 1].</summary>
    public int[] Segment { get; private set; } = [];

    /// <summary>Room for <paramref name="pairs"/> pairs (plus slack) and <paramref name="particles"/> particles.</summary>
    public void Ensure(long pairs, int particles)
    {
        long needed = pairs + 2 * CellList.Padding;
        if (D1.Length < needed)
        {
            int length = (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * D1.Length));
            D1 = new double[length];
            D2 = new double[length];
            Weight = new double[length];
            Partner = new double[length];
            G1 = new double[length];
            G2 = new double[length];
        }
        if (Segment.Length < particles + 1)
        {
            Segment = new int[Math.Max(particles + 1, 2 * Segment.Length)];
        }
    }
}

/// <summary>Element access by index on a ref (the loop's arrays are sized by construction).</summary>
internal static class RefExtensions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref double At(ref this double origin, int index) => ref Unsafe.Add(ref origin, index);
}

