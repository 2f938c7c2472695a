using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The 2D pair loop over the cluster-pair lists of a <see cref="ClusterGrid"/>, generic over the operator and the lane
/// width: for each two particles i, i' of an i-cluster I and each listed j-cluster J (skipped when the box around i and
/// i' is r_c or more from J's box), the <see cref="ClusterGrid.Size"/> partners of J in whole vectors, loaded once for
/// both: the differences (rounded to the minimum image only for J across the torus' edge, the list's wrapped entries),
/// r², the operator, which gives exactly 0 beyond r_c, in two independent chains. Lanes that must not count (in a
/// cluster with itself the partners at j ≤ i, so that each pair counts once; padding where rounding brings it within
/// reach) go to the operator at r² = r_c². g_i and g_i' sum in vectors over their partners and are added once;
/// g_j −= b_i b_j ∇s + b_i' b_j ∇s' goes straight to J's contiguous slots, once for the two.
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
        double rc2 = op.CutoffSquared;
        var zero = TL.Create(0.0);
        var f = new Frame<TV, TM>
        {
            X1 = ref MemoryMarshal.GetArrayDataReference(grid.X1),
            X2 = ref MemoryMarshal.GetArrayDataReference(grid.X2),
            Sign = ref MemoryMarshal.GetArrayDataReference(grid.Sign),
            Force1 = ref MemoryMarshal.GetArrayDataReference(f1),
            Force2 = ref MemoryMarshal.GetArrayDataReference(f2),
            Order = grid.Order,
            Cutoff2 = TL.Create(rc2),
            // The listed boxes hold h + the half skin; a particle of J is within h + the displacement since the build.
            Margin = TL.Create(ClusterGrid.Margin + (grid.Displacement - grid.HalfSkin)),
            Zero = zero,
            Half = TL.Create(0.5),
            // Strictly below r_c², where the masked lanes sit.
            Collision2 = TL.Create(Math.Min(CollisionException.Distance * CollisionException.Distance, 0.5 * rc2)),
            AllLanes = TL.LessThan(zero, TL.Create(1.0)),
            Energy = zero,
        };
        long listed = 0;
        var chunks = grid.Chunks;
        for (int k = chunkBegin; k < chunkEnd; k++)
        {
            var chunk = chunks[k];
            listed += chunk.Pairs;
            f.Partners = chunk.Partners;
            f.BoxCenter1 = ref MemoryMarshal.GetArrayDataReference(chunk.Center1);
            f.BoxHalf1 = ref MemoryMarshal.GetArrayDataReference(chunk.Half1);
            f.BoxCenter2 = ref MemoryMarshal.GetArrayDataReference(chunk.Center2);
            f.BoxHalf2 = ref MemoryMarshal.GetArrayDataReference(chunk.Half2);
            for (int c = chunk.First; c < chunk.End; c++)
            {
                var (rowBegin, rowWrapped, rowEnd) = chunk.Row(c);
                Cluster<TL, TV, TM, TEnergy>(op, ref f, c, rowBegin, rowWrapped, rowEnd);
            }
            if (f.Collided && result.CollisionFirst == -1)
            {
                FindCollision(grid, chunk, rc2, ref result);
            }
        }
        result.Energy = TL.Sum(f.Energy);
        result.CandidatePairs = listed * ClusterGrid.Size * ClusterGrid.Size;
        result.PairsInRange = f.Evaluated;
        return result;
    }

    /// <summary>
    /// The particles of cluster c against the entries [rowBegin, rowEnd) of its row (wrapped from rowWrapped). A method
    /// of its own, so that the JIT inlines the operator's two copies within its limit on locals (512, counted over all
    /// inlinees; the energy branch is decided by a type test, which the JIT folds before it imports the dead branch).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Cluster<TL, TV, TM, TEnergy>(in TOp op, ref Frame<TV, TM> f, int c, int rowBegin, int rowWrapped, int rowEnd)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
        where TEnergy : struct, IEnergyMode
    {
        int clusterEnd = (c + 1) * ClusterGrid.Size;
        // Two particles of I at a time on the AVX-512 path (padding is a cluster's tail): J's loads, its force rows and
        // the walk over its entries are shared; an odd last particle goes beside itself with sign 0 (it adds nothing).
        // AVX2 has 16 registers, not 32: there the two chains spill and the loop takes one particle at a time. A type
        // test, so that the JIT drops the second chain before it counts its locals.
        bool pairs = typeof(TL) == typeof(Lanes512);
        for (int i = c * ClusterGrid.Size; i < clusterEnd && f.Order[i] >= 0; i += pairs ? 2 : 1)
        {
            bool single = !pairs || i + 1 == clusterEnd || f.Order[i + 1] < 0;
            int i2 = single ? i : i + 1;
            // The pair's own vectors are broadcast again for each J (a load each, the force stores keep the JIT from
            // hoisting them): registers stay free for the two operator chains.
            double signB = single ? 0.0 : f.Sign.At(i2);
            TV energy = f.Energy;
            bool collided = false;
            TV sa1 = f.Zero, sa2 = f.Zero, sb1 = f.Zero, sb2 = f.Zero;
            // The J with a partner possibly within r_c of either particle: J's box against the pair's (the
            // particles of a cluster lie on the same side of the torus' edges).
            var xa1 = TL.Create(f.X1.At(i));
            var xa2 = TL.Create(f.X2.At(i));
            var xb1 = TL.Create(f.X1.At(i2));
            var xb2 = TL.Create(f.X2.At(i2));
            var pair1 = TL.Multiply(TL.Add(xa1, xb1), f.Half);
            var pair2 = TL.Multiply(TL.Add(xa2, xb2), f.Half);
            var margin1 = TL.MultiplyAdd(TL.Abs(TL.Subtract(xa1, xb1)), f.Half, f.Margin);
            var margin2 = TL.MultiplyAdd(TL.Abs(TL.Subtract(xa2, xb2)), f.Half, f.Margin);
            for (int e = rowBegin; e < rowEnd; e += TL.Count)
            {
                ulong reachable = Reachable<TL, TV, TM>(pair1, pair2, ref f.BoxCenter1, ref f.BoxHalf1, ref f.BoxCenter2, ref f.BoxHalf2, e, margin1, margin2, f.Zero, f.Cutoff2);
                // The group (direct or wrapped) is the same for the whole vector of entries.
                bool wrapped = e >= rowWrapped;
                f.Evaluated += BitOperations.PopCount(reachable) * ClusterGrid.Size * (single ? 1 : 2);
                while (reachable != 0)
                {
                    int j = f.Partners[e + BitOperations.TrailingZeroCount(reachable)];
                    reachable &= reachable - 1;
                    bool self = j == c;
                    for (int q = j * ClusterGrid.Size; q < (j + 1) * ClusterGrid.Size; q += TL.Count)
                    {
                        var xj1 = TL.Load(ref f.X1, q);
                        var xj2 = TL.Load(ref f.X2, q);
                        var sj = TL.Load(ref f.Sign, q);
                        // In a wrapped entry the padding, which rounding brings back onto the torus (in a
                        // direct one it stays out of reach), must not count.
                        var keep = wrapped ? TL.LessThan(f.Zero, TL.Multiply(sj, sj)) : f.AllLanes;
                        var r2a = Separation<TL, TV, TM>(TL.Create(f.X1.At(i)), TL.Create(f.X2.At(i)), i, xj1, xj2, keep, q, wrapped, self, f.Cutoff2, out var da1, out var da2);
                        if (op.IsSingularAtOrigin)
                        {
                            collided |= TL.Any(TL.LessThan(r2a, f.Collision2));
                        }
                        var wa = TL.Multiply(TL.Create(f.Sign.At(i)), sj);
                        TV ga1, ga2;
                        if (typeof(TEnergy) == typeof(WithEnergy))
                        {
                            TL.GradientAndPotential(op, da1, da2, r2a, out ga1, out ga2, out var pa);
                            energy = TL.MultiplyAdd(wa, pa, energy);
                        }
                        else
                        {
                            TL.Gradient(op, da1, da2, r2a, out ga1, out ga2);
                        }
                        ga1 = TL.Multiply(ga1, wa);
                        ga2 = TL.Multiply(ga2, wa);
                        sa1 = TL.Add(sa1, ga1);
                        sa2 = TL.Add(sa2, ga2);
                        if (typeof(TL) == typeof(Lanes512))
                        {
                            var r2b = Separation<TL, TV, TM>(TL.Create(f.X1.At(i2)), TL.Create(f.X2.At(i2)), i2, xj1, xj2, keep, q, wrapped, self, f.Cutoff2, out var db1, out var db2);
                            if (op.IsSingularAtOrigin)
                            {
                                collided |= TL.Any(TL.LessThan(r2b, f.Collision2));
                            }
                            var wb = TL.Multiply(TL.Create(signB), sj);
                            TV gb1, gb2;
                            if (typeof(TEnergy) == typeof(WithEnergy))
                            {
                                TL.GradientAndPotential(op, db1, db2, r2b, out gb1, out gb2, out var pb);
                                energy = TL.MultiplyAdd(wb, pb, energy);
                            }
                            else
                            {
                                TL.Gradient(op, db1, db2, r2b, out gb1, out gb2);
                            }
                            gb1 = TL.Multiply(gb1, wb);
                            gb2 = TL.Multiply(gb2, wb);
                            sb1 = TL.Add(sb1, gb1);
                            sb2 = TL.Add(sb2, gb2);
                            ga1 = TL.Add(ga1, gb1);
                            ga2 = TL.Add(ga2, gb2);
                        }
                        TL.Store(TL.Subtract(TL.Load(ref f.Force1, q), ga1), ref f.Force1, q);
                        TL.Store(TL.Subtract(TL.Load(ref f.Force2, q), ga2), ref f.Force2, q);
                    }
                }
            }
            f.Energy = energy;
            f.Collided |= collided;
            f.Force1.At(i) += TL.Sum(sa1);
            f.Force2.At(i) += TL.Sum(sa2);
            if (!single)
            {
                f.Force1.At(i2) += TL.Sum(sb1);
                f.Force2.At(i2) += TL.Sum(sb2);
            }
        }
    }

    /// <summary>What the clusters share: the arrays, the chunk's list, the lane constants, the sums.</summary>
    private ref struct Frame<TV, TM>
        where TV : struct
        where TM : struct
    {
        public ref double X1, X2, Sign, Force1, Force2, BoxCenter1, BoxHalf1, BoxCenter2, BoxHalf2;
        public int[] Order, Partners;
        public TV Cutoff2, Margin, Zero, Half, Collision2;
        public TM AllLanes;
        public TV Energy;
        public long Evaluated;
        public bool Collided;
    }

    /// <summary>Bit k set where the box at (xi1, xi2) widened by the margins may hold a point within r_c of the box of entry e + k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Reachable<TL, TV, TM>(TV xi1, TV xi2, ref double boxCenter1, ref double boxHalf1,
        ref double boxCenter2, ref double boxHalf2, int e, TV margin1, TV margin2, TV zero, TV rc2Lanes)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
    {
        var e1 = TL.Subtract(xi1, TL.Load(ref boxCenter1, e));
        e1 = TL.Subtract(e1, TL.Round(e1));
        var e2 = TL.Subtract(xi2, TL.Load(ref boxCenter2, e));
        e2 = TL.Subtract(e2, TL.Round(e2));
        var gap1 = TL.Max(TL.Subtract(TL.Abs(e1), TL.Add(TL.Load(ref boxHalf1, e), margin1)), zero);
        var gap2 = TL.Max(TL.Subtract(TL.Abs(e2), TL.Add(TL.Load(ref boxHalf2, e), margin2)), zero);
        return TL.MaskBits(TL.LessThan(TL.MultiplyAdd(gap1, gap1, TL.Multiply(gap2, gap2)), rc2Lanes));
    }

    /// <summary>
    /// x_i − x_j for the partners at q (rounded to the minimum image in a wrapped entry) and r², which is r_c² where a
    /// lane must not count: outside <paramref name="keep"/>, and in a cluster with itself (<paramref name="self"/>) at
    /// or before i (i itself at r² = 0 among them, which would also defeat the operators' all-lanes shortcuts:
    /// negligible e^{−u}, E1 without a logarithm). The operator gives exactly 0 there (every lane's inputs are
    /// finite); other lanes beyond r_c need no mask, the operator gives 0 there too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Separation<TL, TV, TM>(TV xi1, TV xi2, int i, TV xj1, TV xj2, TM keep, int q, bool wrapped,
        bool self, TV rc2Lanes, out TV d1, out TV d2)
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
    {
        d1 = TL.Subtract(xi1, xj1);
        d2 = TL.Subtract(xi2, xj2);
        if (wrapped)
        {
            d1 = TL.Subtract(d1, TL.Round(d1));
            d2 = TL.Subtract(d2, TL.Round(d2));
        }
        var r2 = TL.MultiplyAdd(d1, d1, TL.Multiply(d2, d2));
        if (wrapped | self)
        {
            if (self)
            {
                keep = TL.And(keep, TL.LessThan(TL.Create(i), TL.Add(TL.Create(q), TL.Indices)));
            }
            r2 = TL.Select(keep, r2, rc2Lanes);
        }
        return r2;
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
