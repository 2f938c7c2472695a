using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// The inner loops of spreading and gathering on one row of a particle's p×p B-spline stencil (contiguous mesh
/// points), and the Horner evaluation of its weights, at one SIMD width. Order 8 is one Vector512 (or two Vector256)
/// per row, the common case on the fast path; other orders take the plain loop. Every width adds the same terms in
/// the same order per mesh point, so only FMA rounding differs between them. <see cref="ParticleMeshEwald"/> picks
/// the width once per evaluation from its <see cref="NearField.SimdPath"/>; static abstracts on structs, so each
/// instantiation is specialised and inlined by the JIT.
/// </summary>
internal interface IStencilLanes
{
    /// <summary>row[q] += a · w[q] for q = 0 … w.Length − 1.</summary>
    static abstract void AddScaled(Span<double> row, ReadOnlySpan<double> w, double a);

    /// <summary>
    /// acc1 += c1 · row and acc2 += c2 · row elementwise (row.Length = acc1.Length = acc2.Length): the gather's
    /// column sums, reduced against the second axis's weights once per particle by <see cref="Dot"/>.
    /// </summary>
    static abstract void Accumulate(ReadOnlySpan<double> row, double c1, double c2, Span<double> acc1, Span<double> acc2);

    /// <summary>Σ_q a[q] b[q].</summary>
    static abstract double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b);

    /// <summary>
    /// Order 8 in 2D, a stencil that does not wrap along the second axis (the fast path's common case): spreads
    /// Q(row q1, column q) += (s · w1[q1]) · w2[q] with w1, w2 the weights at fractional parts f1, f2 — the same terms
    /// in the same order as <see cref="Horner"/> and <see cref="AddScaled"/> row by row, in one piece of code per
    /// particle (the weights stay in registers; measured: spreading and gathering a quarter faster at n = 10⁶).
    /// </summary>
    static abstract void Spread8(Span<double> charge, StencilPlacement at, double f1, double f2, double s, BSplineStencil stencil);

    /// <summary>
    /// The gather of such a particle: (Σ φ(q1, q) w1'[q1] w2[q], Σ φ(q1, q) w1[q1] w2'[q]) with the column sums over the
    /// rows first, the same terms in the same order as <see cref="Accumulate"/> (c1 = w1', c2 = w1) and <see cref="Dot"/>.
    /// </summary>
    static abstract (double, double) Gather8(ReadOnlySpan<double> potential, StencilPlacement at, double f1, double f2, BSplineStencil stencil);

    /// <summary>result[q] = Σ_{k &lt; terms} c[k·p + q] f^k for q &lt; p = result.Length, highest power first.</summary>
    static abstract void Horner(double[] c, int terms, double f, Span<double> result);

}

/// <summary>Plain double arithmetic: the reference, and every order other than 8.</summary>
internal readonly struct ScalarStencil : IStencilLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> row, ReadOnlySpan<double> w, double a)
    {
        for (int q = 0; q < w.Length; q++)
        {
            row[q] += a * w[q];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ReadOnlySpan<double> row, double c1, double c2, Span<double> acc1, Span<double> acc2)
    {
        for (int q = 0; q < row.Length; q++)
        {
            acc1[q] += c1 * row[q];
            acc2[q] += c2 * row[q];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int q = 0; q < a.Length; q++)
        {
            sum += a[q] * b[q];
        }
        return sum;
    }

    public static void Spread8(Span<double> charge, StencilPlacement at, double f1, double f2, double s, BSplineStencil stencil)
    {
        Span<double> w1 = stackalloc double[8];
        Span<double> w2 = stackalloc double[8];
        stencil.Weights<ScalarStencil>(f1, w1);
        stencil.Weights<ScalarStencil>(f2, w2);
        for (int q1 = 0; q1 < 8; q1++)
        {
            AddScaled(charge.Slice(at.Offset(q1), 8), w2, s * w1[q1]);
        }
    }

    public static (double, double) Gather8(ReadOnlySpan<double> potential, StencilPlacement at, double f1, double f2, BSplineStencil stencil)
    {
        Span<double> w1 = stackalloc double[8];
        Span<double> d1 = stackalloc double[8];
        Span<double> w2 = stackalloc double[8];
        Span<double> d2 = stackalloc double[8];
        stencil.Weights<ScalarStencil>(f1, w1, d1);
        stencil.Weights<ScalarStencil>(f2, w2, d2);
        Span<double> acc1 = stackalloc double[8];
        Span<double> acc2 = stackalloc double[8];
        for (int q1 = 0; q1 < 8; q1++)
        {
            Accumulate(potential.Slice(at.Offset(q1), 8), d1[q1], w1[q1], acc1, acc2);
        }
        return (Dot(acc1, w2), Dot(acc2, d2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Horner(double[] c, int terms, double f, Span<double> result)
    {
        int order = result.Length;
        for (int q = 0; q < order; q++)
        {
            double v = c[(terms - 1) * order + q];
            for (int k = terms - 2; k >= 0; k--)
            {
                v = v * f + c[k * order + q];
            }
            result[q] = v;
        }
    }
}

/// <summary>Order 8 as two Vector256 per row, with FMA.</summary>
internal readonly struct Stencil256 : IStencilLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> row, ReadOnlySpan<double> w, double a)
    {
        if (w.Length != 8)
        {
            ScalarStencil.AddScaled(row, w, a);
            return;
        }
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double wr = ref MemoryMarshal.GetReference(w);
        var va = Vector256.Create(a);
        Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref wr), Vector256.LoadUnsafe(ref r)).StoreUnsafe(ref r);
        Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref wr, 4), Vector256.LoadUnsafe(ref r, 4)).StoreUnsafe(ref r, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ReadOnlySpan<double> row, double c1, double c2, Span<double> acc1, Span<double> acc2)
    {
        if (row.Length != 8)
        {
            ScalarStencil.Accumulate(row, c1, c2, acc1, acc2);
            return;
        }
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double a1 = ref MemoryMarshal.GetReference(acc1);
        ref double a2 = ref MemoryMarshal.GetReference(acc2);
        var v1 = Vector256.Create(c1);
        var v2 = Vector256.Create(c2);
        for (nuint half = 0; half < 8; half += 4)
        {
            var phi = Vector256.LoadUnsafe(ref r, half);
            Vector256.FusedMultiplyAdd(v1, phi, Vector256.LoadUnsafe(ref a1, half)).StoreUnsafe(ref a1, half);
            Vector256.FusedMultiplyAdd(v2, phi, Vector256.LoadUnsafe(ref a2, half)).StoreUnsafe(ref a2, half);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != 8)
        {
            return ScalarStencil.Dot(a, b);
        }
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        return Vector256.Sum(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, 4), Vector256.LoadUnsafe(ref rb, 4),
            Vector256.LoadUnsafe(ref ra) * Vector256.LoadUnsafe(ref rb)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Spread8(Span<double> charge, StencilPlacement at, double f1, double f2, double s, BSplineStencil stencil)
    {
        ref double values = ref MemoryMarshal.GetReference(stencil.ValueTable);
        var (w1Lo, w1Hi) = Polynomial8(ref values, 8, f1);
        var (lo, hi) = Polynomial8(ref values, 8, f2);
        Span<double> scaled = stackalloc double[8];
        ref double a = ref MemoryMarshal.GetReference(scaled);
        (Vector256.Create(s) * w1Lo).StoreUnsafe(ref a);
        (Vector256.Create(s) * w1Hi).StoreUnsafe(ref a, 4);
        ref double q = ref MemoryMarshal.GetReference(charge);
        for (int q1 = 0; q1 < 8; q1++)
        {
            ref double row = ref Unsafe.Add(ref q, at.Offset(q1));
            var va = Vector256.Create(Unsafe.Add(ref a, q1));
            Vector256.FusedMultiplyAdd(va, lo, Vector256.LoadUnsafe(ref row)).StoreUnsafe(ref row);
            Vector256.FusedMultiplyAdd(va, hi, Vector256.LoadUnsafe(ref row, 4)).StoreUnsafe(ref row, 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double) Gather8(ReadOnlySpan<double> potential, StencilPlacement at, double f1, double f2, BSplineStencil stencil)
    {
        ref double values = ref MemoryMarshal.GetReference(stencil.ValueTable);
        ref double derivatives = ref MemoryMarshal.GetReference(stencil.DerivativeTable);
        Span<double> row1 = stackalloc double[16]; // w1' then w1, read back one at a time
        ref double c = ref MemoryMarshal.GetReference(row1);
        var (d1Lo, d1Hi) = Polynomial8(ref derivatives, 7, f1);
        var (w1Lo, w1Hi) = Polynomial8(ref values, 8, f1);
        d1Lo.StoreUnsafe(ref c);
        d1Hi.StoreUnsafe(ref c, 4);
        w1Lo.StoreUnsafe(ref c, 8);
        w1Hi.StoreUnsafe(ref c, 12);
        ref double phi = ref MemoryMarshal.GetReference(potential);
        Vector256<double> lo1 = Vector256<double>.Zero, hi1 = lo1, lo2 = lo1, hi2 = lo1;
        for (int q1 = 0; q1 < 8; q1++)
        {
            nuint offset = (nuint)at.Offset(q1);
            var rowLo = Vector256.LoadUnsafe(ref phi, offset);
            var rowHi = Vector256.LoadUnsafe(ref phi, offset + 4);
            var v1 = Vector256.Create(Unsafe.Add(ref c, q1));
            var v2 = Vector256.Create(Unsafe.Add(ref c, 8 + q1));
            lo1 = Vector256.FusedMultiplyAdd(v1, rowLo, lo1);
            hi1 = Vector256.FusedMultiplyAdd(v1, rowHi, hi1);
            lo2 = Vector256.FusedMultiplyAdd(v2, rowLo, lo2);
            hi2 = Vector256.FusedMultiplyAdd(v2, rowHi, hi2);
        }
        var (w2Lo, w2Hi) = Polynomial8(ref values, 8, f2);
        var (d2Lo, d2Hi) = Polynomial8(ref derivatives, 7, f2);
        return (Vector256.Sum(Vector256.FusedMultiplyAdd(hi1, w2Hi, lo1 * w2Lo)),
            Vector256.Sum(Vector256.FusedMultiplyAdd(hi2, d2Hi, lo2 * d2Lo)));
    }

    /// <summary>Σ_{k &lt; terms} c[8k + q] f^k for q = 0 … 7 (terms 8 or 7) as <see cref="Horner"/> does it, unrolled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lo, Vector256<double> Hi) Polynomial8(ref double c, int terms, double f)
    {
        var vf = Vector256.Create(f);
        var lo = Vector256.LoadUnsafe(ref c, 48);
        var hi = Vector256.LoadUnsafe(ref c, 52);
        if (terms == 8)
        {
            lo = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref c, 56), vf, lo);
            hi = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref c, 60), vf, hi);
        }
        for (int k = 5; k >= 0; k--)
        {
            lo = Vector256.FusedMultiplyAdd(lo, vf, Vector256.LoadUnsafe(ref c, (nuint)(8 * k)));
            hi = Vector256.FusedMultiplyAdd(hi, vf, Vector256.LoadUnsafe(ref c, (nuint)(8 * k + 4)));
        }
        return (lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Horner(double[] c, int terms, double f, Span<double> result)
    {
        if (result.Length != 8)
        {
            ScalarStencil.Horner(c, terms, f, result);
            return;
        }
        ref double c0 = ref MemoryMarshal.GetArrayDataReference(c);
        ref double r = ref MemoryMarshal.GetReference(result);
        var vf = Vector256.Create(f);
        for (nuint half = 0; half < 8; half += 4)
        {
            var v = Vector256.LoadUnsafe(ref c0, (nuint)((terms - 1) * 8) + half);
            for (int k = terms - 2; k >= 0; k--)
            {
                v = Vector256.FusedMultiplyAdd(v, vf, Vector256.LoadUnsafe(ref c0, (nuint)(k * 8) + half));
            }
            v.StoreUnsafe(ref r, half);
        }
    }
}

/// <summary>Order 8 as one Vector512 per row.</summary>
internal readonly struct Stencil512 : IStencilLanes
{

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> row, ReadOnlySpan<double> w, double a)
    {
        if (w.Length != 8)
        {
            ScalarStencil.AddScaled(row, w, a);
            return;
        }
        ref double r = ref MemoryMarshal.GetReference(row);
        var v = Vector512.LoadUnsafe(ref r);
        Vector512.FusedMultiplyAdd(Vector512.Create(a), Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(w)), v).StoreUnsafe(ref r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ReadOnlySpan<double> row, double c1, double c2, Span<double> acc1, Span<double> acc2)
    {
        if (row.Length != 8)
        {
            ScalarStencil.Accumulate(row, c1, c2, acc1, acc2);
            return;
        }
        var phi = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(row));
        ref double a1 = ref MemoryMarshal.GetReference(acc1);
        ref double a2 = ref MemoryMarshal.GetReference(acc2);
        Vector512.FusedMultiplyAdd(Vector512.Create(c1), phi, Vector512.LoadUnsafe(ref a1)).StoreUnsafe(ref a1);
        Vector512.FusedMultiplyAdd(Vector512.Create(c2), phi, Vector512.LoadUnsafe(ref a2)).StoreUnsafe(ref a2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => a.Length != 8
        ? ScalarStencil.Dot(a, b)
        : Vector512.Sum(Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(a)) * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(b)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Spread8(Span<double> charge, StencilPlacement at, double f1, double f2, double s, BSplineStencil stencil)
    {
        ref double values = ref MemoryMarshal.GetReference(stencil.ValueTable);
        var w2 = Polynomial8(ref values, 8, f2);
        // s · w1 through memory, broadcast from there (a register broadcast here was slower, docs/performance.md).
        Span<double> scaled = stackalloc double[8];
        ref double a = ref MemoryMarshal.GetReference(scaled);
        (Vector512.Create(s) * Polynomial8(ref values, 8, f1)).StoreUnsafe(ref a);
        ref double q = ref MemoryMarshal.GetReference(charge);
        for (int q1 = 0; q1 < 8; q1++)
        {
            ref double row = ref Unsafe.Add(ref q, at.Offset(q1));
            Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, q1)), w2, Vector512.LoadUnsafe(ref row)).StoreUnsafe(ref row);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double) Gather8(ReadOnlySpan<double> potential, StencilPlacement at, double f1, double f2, BSplineStencil stencil)
    {
        ref double values = ref MemoryMarshal.GetReference(stencil.ValueTable);
        ref double derivatives = ref MemoryMarshal.GetReference(stencil.DerivativeTable);
        var w1 = Polynomial8(ref values, 8, f1);
        var d1 = Polynomial8(ref derivatives, 7, f1);
        ref double phi = ref MemoryMarshal.GetReference(potential);
        var acc1 = Vector512<double>.Zero;
        var acc2 = Vector512<double>.Zero;
        // w1'[q1], w1[q1] broadcast from registers (Shuffle → vpermpd; measured: gathering −10–20 % at n = 10⁶).
        for (int q1 = 0; q1 < 8; q1++)
        {
            var row = Vector512.LoadUnsafe(ref phi, (nuint)at.Offset(q1));
            var lane = Vector512.Create((long)q1);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Shuffle(d1, lane), row, acc1);
            acc2 = Vector512.FusedMultiplyAdd(Vector512.Shuffle(w1, lane), row, acc2);
        }
        return (Vector512.Sum(acc1 * Polynomial8(ref values, 8, f2)), Vector512.Sum(acc2 * Polynomial8(ref derivatives, 7, f2)));
    }

    /// <summary>Σ_{k &lt; terms} c[8k + q] f^k for q = 0 … 7 (terms 8 or 7) as <see cref="Horner"/> does it, unrolled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Polynomial8(ref double c, int terms, double f)
    {
        var vf = Vector512.Create(f);
        var v = Vector512.LoadUnsafe(ref c, 48);
        if (terms == 8)
        {
            v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, 56), vf, v);
        }
        v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 40));
        v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 32));
        v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 24));
        v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 16));
        v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 8));
        return Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c, 0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Horner(double[] c, int terms, double f, Span<double> result)
    {
        if (result.Length != 8)
        {
            ScalarStencil.Horner(c, terms, f, result);
            return;
        }
        ref double c0 = ref MemoryMarshal.GetArrayDataReference(c);
        var vf = Vector512.Create(f);
        var v = Vector512.LoadUnsafe(ref c0, (nuint)((terms - 1) * 8));
        for (int k = terms - 2; k >= 0; k--)
        {
            v = Vector512.FusedMultiplyAdd(v, vf, Vector512.LoadUnsafe(ref c0, (nuint)(k * 8)));
        }
        v.StoreUnsafe(ref MemoryMarshal.GetReference(result));
    }
}
