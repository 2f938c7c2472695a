using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// One particle's p × p (2D) or p (1D) B-spline stencil on a mesh buffer of <c>rows</c> rows of <c>width</c> points
/// (width 1 in 1D): stencil row q1 lies on buffer row (r0 + q1) mod rows and stencil column q2 on column
/// (c0 + q2) mod width. <see cref="ParticleMeshEwald"/> passes the whole periodic mesh (rows = M); the slab mesh
/// passes its slab plus the p − 1 rows below it, where r0 + q1 never reaches the end. Shared so that both spread and
/// gather with the same arithmetic in the same order.
/// </summary>
internal static class MeshStencil
{
    /// <summary>Q(r0 + q1, c0 + q2) += s · w1[q1] · w2[q2] (1D: Q(r0 + q) += s · w1[q]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Spread<TLanes>(Span<double> buffer, int width, int rows, int r0, int c0, double s,
        ReadOnlySpan<double> w1, ReadOnlySpan<double> w2)
        where TLanes : struct, IStencilLanes
    {
        int order = w1.Length;
        if (width == 1)
        {
            for (int q = 0; q < order; q++)
            {
                buffer[Wrap(r0 + q, rows)] += s * w1[q];
            }
            return;
        }
        for (int q1 = 0; q1 < order; q1++)
        {
            double a = s * w1[q1];
            var line = buffer.Slice(Wrap(r0 + q1, rows) * width, width);
            if (c0 + order <= width)
            {
                TLanes.AddScaled(line.Slice(c0, order), w2, a);
                continue;
            }
            for (int q = 0; q < order; q++)
            {
                line[Wrap(c0 + q, width)] += a * w2[q];
            }
        }
    }

    /// <summary>
    /// 1D: Σ_q φ(r0 + q) d1[q]. 2D: (Σ φ(r0 + q1, c0 + q2) d1[q1] w2[q2], Σ φ(r0 + q1, c0 + q2) w1[q1] d2[q2]), the
    /// rows first accumulated into acc1, acc2; w1, d1 (and w2, d2 in 2D) are the weights in <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double, double) Gather<TLanes>(ReadOnlySpan<double> potential, int width, int rows, int r0, int c0,
        scoped in GatherScratch scratch)
        where TLanes : struct, IStencilLanes
    {
        ReadOnlySpan<double> w1 = scratch.W1, d1 = scratch.D1, w2 = scratch.W2, d2 = scratch.D2;
        Span<double> acc1 = scratch.Acc1, acc2 = scratch.Acc2, wrapped = scratch.Wrapped;
        int order = w1.Length;
        if (width == 1)
        {
            double acc = 0;
            for (int q = 0; q < order; q++)
            {
                acc += potential[Wrap(r0 + q, rows)] * d1[q];
            }
            return (acc, 0);
        }
        acc1.Clear();
        acc2.Clear();
        // acc1[q] = Σ_q1 W1'(q1) φ(r0 + q1, c0 + q), acc2[q] = Σ_q1 W1(q1) φ(r0 + q1, c0 + q).
        for (int q1 = 0; q1 < order; q1++)
        {
            var line = potential.Slice(Wrap(r0 + q1, rows) * width, width);
            if (c0 + order <= width)
            {
                TLanes.Accumulate(line.Slice(c0, order), d1[q1], w1[q1], acc1, acc2);
                continue;
            }
            for (int q = 0; q < order; q++)
            {
                wrapped[q] = line[Wrap(c0 + q, width)];
            }
            TLanes.Accumulate(wrapped, d1[q1], w1[q1], acc1, acc2);
        }
        return (TLanes.Dot(acc1, w2), TLanes.Dot(acc2, d2));
    }

    /// <summary>
    /// ⌊M x⌋ reduced to 0 … M − 1 and the fractional part, for x ∈ [0, 1] (x a hair below 1 can round M x up to M,
    /// which is mesh point 0). The one place that maps a coordinate to a mesh point, so the row sort, the slabs'
    /// rows and the stencils agree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Point(double x, int mesh, out double frac)
    {
        double u = x * mesh;
        double floor = Math.Floor(u);
        frac = u - floor;
        int m = (int)floor;
        return m >= mesh ? m - mesh : m < 0 ? m + mesh : m;
    }

    /// <summary>m mod n for −n ≤ m &lt; 2n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Wrap(int m, int n) => m >= n ? m - n : m < 0 ? m + n : m;
}
