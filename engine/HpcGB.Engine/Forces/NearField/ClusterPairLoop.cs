using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The 2D pair loop over the cluster-pair lists of a <see cref="ClusterGrid"/>, generic over the operator and the lane
/// width: for each particle i of an i-cluster I and each listed j-cluster J (skipped when i's distance to J's box is
/// r_c or more), the <see cref="ClusterGrid.Size"/> partners of J in whole vectors: the difference (rounded to the
/// minimum image only for J across the torus' edge, the list's wrapped entries), r², the operator, which gives exactly
/// 0 beyond r_c. Lanes that must not count (in a cluster with itself the partners at j ≤ i, so that each pair counts
/// once; padding where rounding brings it within reach) go to the operator at r² = r_c². g_i sums in a vector over
/// i's partners and is added once; g_j −= b_i b_j ∇s goes straight to J's contiguous slots.
/// Everything runs in list order: the result is deterministic.
/// </summary>
internal static class ClusterPairLoop<TOp>
    where TOp : struct, IShortRangeOperator
{
    /// <summary>Adds the chunks [chunkBegin, chunkEnd) into f1/f2 (sorted order, length ≥ the padded count; cleared by the caller first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PairLoopResult Run<TL, TV, TM, TEnergy>(in TOp theOperator, ClusterGrid grid, int chunkBegin, int chunkEnd,
        double[] f1, double[] f2)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
        where TEnergy : struct, IEnergyMode
    {
        var result = new PairLoopResult { CollisionFirst = -1 };
        // A copy the loop's stores cannot alias, so its fields stay in registers instead of being loaded per vector.
        var op = theOperator;
        ref double x1 = ref MemoryMarshal.GetArrayDataReference(grid.X1);
        ref double x2 = ref MemoryMarshal.GetArrayDataReference(grid.X2);
        ref double sign = ref MemoryMarshal.GetArrayDataReference(grid.Sign);
        ref double force1 = ref MemoryMarshal.GetArrayDataReference(f1);
        ref double force2 = ref MemoryMarshal.GetArrayDataReference(f2);
        int[] order = grid.Order;
        double rc2 = op.CutoffSquared;
        var rc2Lanes = TL.Create(rc2);
        // The listed boxes hold h + the half skin; a particle of J is within h + the displacement since the build.
        var margin = TL.Create(ClusterGrid.Margin + (grid.Displacement - grid.HalfSkin));
        var zero = TL.Create(0.0);
        // Strictly below r_c², where the masked lanes sit.
        var collision2 = TL.Create(Math.Min(CollisionException.Distance * CollisionException.Distance, 0.5 * rc2));
        var allLanes = TL.LessThan(zero, TL.Create(1.0));
        TV energy = TL.Create(0.0);
        bool collided = false;
        long listed = 0, evaluated = 0;
        var chunks = grid.Chunks;

        for (int k = chunkBegin; k < chunkEnd; k++)
        {
            var chunk = chunks[k];
            listed += chunk.Pairs;
            int[] partners = chunk.Partners;
            ref int partner = ref MemoryMarshal.GetArrayDataReference(partners);
            // A row's reachable entries, packed (a row is at most the chunk's list, plus one vector of scratch).
            int[] reachedBuffer = ArrayPool<int>.Shared.Rent(partners.Length + TL.Count);
            ref int reached = ref MemoryMarshal.GetArrayDataReference(reachedBuffer);
            ref double boxCenter1 = ref MemoryMarshal.GetArrayDataReference(chunk.Center1);
            ref double boxHalf1 = ref MemoryMarshal.GetArrayDataReference(chunk.Half1);
            ref double boxCenter2 = ref MemoryMarshal.GetArrayDataReference(chunk.Center2);
            ref double boxHalf2 = ref MemoryMarshal.GetArrayDataReference(chunk.Half2);
            for (int c = chunk.First; c < chunk.End; c++)
            {
                var (rowBegin, rowWrapped, rowEnd) = chunk.Row(c);
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
                    // i's smallest r², for the collision test once per particle (masked lanes sit at r_c²).
                    var closest = rc2Lanes;
                    // i against the boxes of the row's entries: the J with a partner possibly within r_c, packed
                    // first (branch-free), so that the loop over them mispredicts once per particle, not once per
                    // vector of entries; the sign bit flags the wrapped group.
                    int count = 0;
                    for (int e = rowBegin; e < rowEnd; e += TL.Count)
                    {
                        var e1 = TL.Subtract(xi1, TL.Load(ref boxCenter1, e));
                        e1 = TL.Subtract(e1, TL.Round(e1));
                        var e2 = TL.Subtract(xi2, TL.Load(ref boxCenter2, e));
                        e2 = TL.Subtract(e2, TL.Round(e2));
                        var gap1 = TL.Max(TL.Subtract(TL.Abs(e1), TL.Add(TL.Load(ref boxHalf1, e), margin)), zero);
                        var gap2 = TL.Max(TL.Subtract(TL.Abs(e2), TL.Add(TL.Load(ref boxHalf2, e), margin)), zero);
                        var within = TL.LessThan(TL.MultiplyAdd(gap1, gap1, TL.Multiply(gap2, gap2)), rc2Lanes);
                        count += TL.AppendEntries(within, ref partner, e, e >= rowWrapped ? int.MinValue : 0, ref reached, count);
                    }
                    evaluated += count * ClusterGrid.Size;
                    for (int t = 0; t < count; t++)
                    {
                        int entry = Unsafe.Add(ref reached, t);
                        bool wrapped = entry < 0;
                        int j = entry & int.MaxValue;
                        for (int q = j * ClusterGrid.Size; q < (j + 1) * ClusterGrid.Size; q += TL.Count)
                        {
                            var d1 = TL.Subtract(xi1, TL.Load(ref x1, q));
                            var d2 = TL.Subtract(xi2, TL.Load(ref x2, q));
                            var sj = TL.Load(ref sign, q);
                            if (wrapped)
                            {
                                d1 = TL.Subtract(d1, TL.Round(d1));
                                d2 = TL.Subtract(d2, TL.Round(d2));
                            }
                            var r2 = TL.MultiplyAdd(d1, d1, TL.Multiply(d2, d2));
                            // Lanes that must not count go to the operator at r_c, where it gives exactly 0 (every
                            // lane's inputs are finite): in a cluster with itself the partners at or before i (i
                            // itself at r² = 0 among them, which would also defeat the operators' all-lanes
                            // shortcuts: negligible e^{−u}, E1 without a logarithm), and in a wrapped entry the
                            // padding, which rounding brings back onto the torus (in a direct one it stays out
                            // of reach). Other lanes beyond r_c need no mask: the operator gives 0 there too.
                            if (wrapped | j == c)
                            {
                                var keep = wrapped ? TL.LessThan(zero, TL.Multiply(sj, sj)) : allLanes;
                                if (j == c)
                                {
                                    keep = TL.And(keep, TL.LessThan(iIndex, TL.Add(TL.Create(q), TL.Indices)));
                                }
                                r2 = TL.Select(keep, r2, rc2Lanes);
                            }
                            if (op.IsSingularAtOrigin)
                            {
                                closest = TL.Min(r2, closest);
                            }
                            var w = TL.Multiply(bi, sj);
                            TV g1, g2;
                            if (TEnergy.Enabled)
                            {
                                TL.GradientAndPotential(op, d1, d2, r2, out g1, out g2, out var s);
                                energy = TL.MultiplyAdd(w, s, energy);
                            }
                            else
                            {
                                TL.Gradient(op, d1, d2, r2, out g1, out g2);
                            }
                            g1 = TL.Multiply(g1, w);
                            g2 = TL.Multiply(g2, w);
                            sum1 = TL.Add(sum1, g1);
                            sum2 = TL.Add(sum2, g2);
                            TL.Store(TL.Subtract(TL.Load(ref force1, q), g1), ref force1, q);
                            TL.Store(TL.Subtract(TL.Load(ref force2, q), g2), ref force2, q);
                        }
                    }
                    collided |= op.IsSingularAtOrigin && TL.Any(TL.LessThan(closest, collision2));
                    force1.At(i) += TL.Sum(sum1);
                    force2.At(i) += TL.Sum(sum2);
                }
            }
            ArrayPool<int>.Shared.Return(reachedBuffer);
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
            for (int i = c * ClusterGrid.Size; i < (c + 1) * ClusterGrid.Size && grid.Order[i] >= 0; i++)
            {
                var (rowBegin, _, rowEnd) = chunk.Row(c);
                foreach (int j in chunk.Partners.AsSpan(rowBegin, rowEnd - rowBegin))
                {
                    for (int q = Math.Max(j * ClusterGrid.Size, i + 1); q < (j + 1) * ClusterGrid.Size; q++)
                    {
                        if (grid.Order[q] >= 0 && result.RecordCollision(i, q, grid.X1, grid.X2, limit))
                        {
                            return;
                        }
                    }
                }
            }
        }
    }
}
