using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The 2D pair loop over the cluster-pair lists of a <see cref="ClusterGrid"/>, generic over the operator and the lane
/// width: for each particle i of an i-cluster I and each listed j-cluster J (skipped when i's distance to J's box is
/// r_c or more), the <see cref="ClusterGrid.Size"/> partners of J in whole vectors: minimum-image difference, r²,
/// the operator, and the mask r² &lt; r_c² ∧ j &gt; i (sorted positions; so a cluster with itself counts each pair once
/// and padding, NaN, never counts), applied after the operator so that masked lanes contribute exactly 0. g_i sums in
/// a vector over i's partners and is added once; g_j −= b_i b_j ∇s goes straight to J's contiguous slots.
/// Everything runs in list order: the result is deterministic.
/// </summary>
internal static class ClusterPairLoop<TOp>
    where TOp : struct, IShortRangeOperator
{
    /// <summary>Runs the chunks [chunkBegin, chunkEnd) into f1/f2 (sorted order, length ≥ the padded count, zeroed by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PairLoopResult Run<TL, TV, TM, TEnergy>(in TOp op, ClusterGrid grid, int chunkBegin, int chunkEnd,
        double[] f1, double[] f2)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
        where TEnergy : struct, IEnergyMode
    {
        var result = new PairLoopResult { CollisionFirst = -1 };
        ref double x1 = ref MemoryMarshal.GetArrayDataReference(grid.X1);
        ref double x2 = ref MemoryMarshal.GetArrayDataReference(grid.X2);
        ref double sign = ref MemoryMarshal.GetArrayDataReference(grid.Sign);
        ref double force1 = ref MemoryMarshal.GetArrayDataReference(f1);
        ref double force2 = ref MemoryMarshal.GetArrayDataReference(f2);
        int[] order = grid.Order;
        double rc2 = op.CutoffSquared;
        var rc2Lanes = TL.Create(rc2);
        var margin = TL.Create(ClusterGrid.Margin);
        var zero = TL.Create(0.0);
        var collision2 = TL.Create(CollisionException.Distance * CollisionException.Distance);
        TV energy = TL.Create(0.0);
        bool collided = false;
        long listed = 0, evaluated = 0;
        var chunks = grid.Chunks;

        for (int k = chunkBegin; k < chunkEnd; k++)
        {
            var chunk = chunks[k];
            listed += chunk.Pairs;
            int[] partners = chunk.Partners;
            ref double boxCenter1 = ref MemoryMarshal.GetArrayDataReference(chunk.Center1);
            ref double boxHalf1 = ref MemoryMarshal.GetArrayDataReference(chunk.Half1);
            ref double boxCenter2 = ref MemoryMarshal.GetArrayDataReference(chunk.Center2);
            ref double boxHalf2 = ref MemoryMarshal.GetArrayDataReference(chunk.Half2);
            for (int c = chunk.First; c < chunk.End; c++)
            {
                var (rowBegin, rowEnd) = chunk.Row(c);
                for (int i = c * ClusterGrid.Size; i < (c + 1) * ClusterGrid.Size; i++)
                {
                    if (order[i] < 0)
                    {
                        continue;
                    }
                    var xi1 = TL.Create(x1.At(i));
                    var xi2 = TL.Create(x2.At(i));
                    var bi = TL.Create(sign.At(i));
                    var iIndex = TL.Create(i);
                    TV sum1 = zero, sum2 = zero;
                    for (int e = rowBegin; e < rowEnd; e += TL.Count)
                    {
                        // i against the boxes of the next entries: only the J with a partner possibly within r_c.
                        var e1 = TL.Subtract(xi1, TL.Load(ref boxCenter1, e));
                        e1 = TL.Subtract(e1, TL.Round(e1));
                        var e2 = TL.Subtract(xi2, TL.Load(ref boxCenter2, e));
                        e2 = TL.Subtract(e2, TL.Round(e2));
                        var gap1 = TL.Max(TL.Subtract(TL.Abs(e1), TL.Add(TL.Load(ref boxHalf1, e), margin)), zero);
                        var gap2 = TL.Max(TL.Subtract(TL.Abs(e2), TL.Add(TL.Load(ref boxHalf2, e), margin)), zero);
                        ulong reachable = TL.MaskBits(TL.LessThan(TL.MultiplyAdd(gap1, gap1, TL.Multiply(gap2, gap2)), rc2Lanes));
                        while (reachable != 0)
                        {
                            int j = partners[e + BitOperations.TrailingZeroCount(reachable)];
                            reachable &= reachable - 1;
                            for (int q = j * ClusterGrid.Size; q < (j + 1) * ClusterGrid.Size; q += TL.Count)
                            {
                                var d1 = TL.Subtract(xi1, TL.Load(ref x1, q));
                                d1 = TL.Subtract(d1, TL.Round(d1));
                                var d2 = TL.Subtract(xi2, TL.Load(ref x2, q));
                                d2 = TL.Subtract(d2, TL.Round(d2));
                                var r2 = TL.MultiplyAdd(d1, d1, TL.Multiply(d2, d2));
                                // No skip of vectors without a partner in range: the box test leaves few, and the
                                // branch on them is unpredictable (measured: the skip cost ~10 % at n = 10^6).
                                var keep = TL.LessThan(r2, rc2Lanes);
                                if (j == c)
                                {
                                    // A cluster with itself: only the partners after i. The others (i itself at
                                    // r² = 0 among them) go to the operator as out of range, so that the
                                    // operators' all-lanes shortcuts (negligible e^{−u}, E1 without a logarithm)
                                    // hold in this vector too.
                                    keep = TL.And(keep, TL.LessThan(iIndex, TL.Add(TL.Create(q), TL.Indices)));
                                    r2 = TL.Select(keep, r2, rc2Lanes);
                                }
                                if (op.IsSingularAtOrigin)
                                {
                                    collided |= TL.Any(TL.And(keep, TL.LessThan(r2, collision2)));
                                }
                                var w = TL.Multiply(bi, TL.Load(ref sign, q));
                                TV g1, g2;
                                if (TEnergy.Enabled)
                                {
                                    TL.GradientAndPotential(op, d1, d2, r2, out g1, out g2, out var s);
                                    energy = TL.Add(energy, TL.Keep(keep, TL.Multiply(w, s)));
                                }
                                else
                                {
                                    TL.Gradient(op, d1, d2, r2, out g1, out g2);
                                }
                                g1 = TL.Keep(keep, TL.Multiply(g1, w));
                                g2 = TL.Keep(keep, TL.Multiply(g2, w));
                                sum1 = TL.Add(sum1, g1);
                                sum2 = TL.Add(sum2, g2);
                                TL.Store(TL.Subtract(TL.Load(ref force1, q), g1), ref force1, q);
                                TL.Store(TL.Subtract(TL.Load(ref force2, q), g2), ref force2, q);
                                evaluated += TL.Count;
                            }
                        }
                    }
                    force1.At(i) += TL.Sum(sum1);
                    force2.At(i) += TL.Sum(sum2);
                }
            }
            if (collided && result.CollisionFirst == -1)
            {
                FindCollision(grid, chunk, rc2, ref result);
            }
        }
        result.Energy = TL.Sum(energy);
        result.CandidatePairs = listed * ClusterGrid.Size * ClusterGrid.Size;
        result.PairsInRange = evaluated;
        return result;
    }

    /// <summary>Finds the first colliding pair of a chunk again, in scalar, for the report (rare path).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FindCollision(ClusterGrid grid, ClusterChunk chunk, double rc2, ref PairLoopResult result)
    {
        double limit = Math.Min(CollisionException.Distance * CollisionException.Distance, rc2);
        for (int c = chunk.First; c < chunk.End; c++)
        {
            for (int i = c * ClusterGrid.Size; i < (c + 1) * ClusterGrid.Size; i++)
            {
                var (rowBegin, rowEnd) = chunk.Row(c);
                foreach (int j in chunk.Partners.AsSpan(rowBegin, rowEnd - rowBegin))
                {
                    for (int q = Math.Max(j * ClusterGrid.Size, i + 1); q < (j + 1) * ClusterGrid.Size; q++)
                    {
                        if (result.RecordCollision(i, q, grid.X1, grid.X2, limit))
                        {
                            return;
                        }
                    }
                }
            }
        }
    }
}
