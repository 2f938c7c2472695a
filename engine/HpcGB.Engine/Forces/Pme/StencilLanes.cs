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
    /// The gather of one particle whose stencil does not wrap along the second axis: with acc1 = Σ_q1 c1[q1] φ_q1 and
    /// acc2 = Σ_q1 c2[q1] φ_q1 over the rows φ_q1 = potential[offsets[q1] …], returns (acc1 · w2, acc2 · d2), the same
    /// terms in the same order as <see cref="Accumulate"/> and <see cref="Dot"/> (order 8 keeps the sums in registers).
    /// </summary>
    static abstract (double, double) GatherRows(ReadOnlySpan<double> potential, ReadOnlySpan<int> offsets,
        ReadOnlySpan<double> c1, ReadOnlySpan<double> c2, ReadOnlySpan<double> w2, ReadOnlySpan<double> d2);

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double) GatherRows(ReadOnlySpan<double> potential, ReadOnlySpan<int> offsets,
        ReadOnlySpan<double> c1, ReadOnlySpan<double> c2, ReadOnlySpan<double> w2, ReadOnlySpan<double> d2)
        => StencilRows.Gather<ScalarStencil>(potential, offsets, c1, c2, w2, d2);

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
    public static (double, double) GatherRows(ReadOnlySpan<double> potential, ReadOnlySpan<int> offsets,
        ReadOnlySpan<double> c1, ReadOnlySpan<double> c2, ReadOnlySpan<double> w2, ReadOnlySpan<double> d2)
    {
        if (w2.Length != 8)
        {
            return StencilRows.Gather<Stencil256>(potential, offsets, c1, c2, w2, d2);
        }
        // The column sums in registers (as Accumulate's, without storing them per row); the same terms in the same order.
        ref double phi = ref MemoryMarshal.GetReference(potential);
        ref double rc1 = ref MemoryMarshal.GetReference(c1);
        ref double rc2 = ref MemoryMarshal.GetReference(c2);
        Vector256<double> lo1 = Vector256<double>.Zero, hi1 = lo1, lo2 = lo1, hi2 = lo1;
        for (int q1 = 0; q1 < 8; q1++)
        {
            nuint offset = (nuint)offsets[q1];
            var rowLo = Vector256.LoadUnsafe(ref phi, offset);
            var rowHi = Vector256.LoadUnsafe(ref phi, offset + 4);
            var v1 = Vector256.Create(Unsafe.Add(ref rc1, q1));
            var v2 = Vector256.Create(Unsafe.Add(ref rc2, q1));
            lo1 = Vector256.FusedMultiplyAdd(v1, rowLo, lo1);
            hi1 = Vector256.FusedMultiplyAdd(v1, rowHi, hi1);
            lo2 = Vector256.FusedMultiplyAdd(v2, rowLo, lo2);
            hi2 = Vector256.FusedMultiplyAdd(v2, rowHi, hi2);
        }
        ref double rw2 = ref MemoryMarshal.GetReference(w2);
        ref double rd2 = ref MemoryMarshal.GetReference(d2);
        return (Vector256.Sum(Vector256.FusedMultiplyAdd(hi1, Vector256.LoadUnsafe(ref rw2, 4), lo1 * Vector256.LoadUnsafe(ref rw2))),
            Vector256.Sum(Vector256.FusedMultiplyAdd(hi2, Vector256.LoadUnsafe(ref rd2, 4), lo2 * Vector256.LoadUnsafe(ref rd2))));
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
    public static (double, double) GatherRows(ReadOnlySpan<double> potential, ReadOnlySpan<int> offsets,
        ReadOnlySpan<double> c1, ReadOnlySpan<double> c2, ReadOnlySpan<double> w2, ReadOnlySpan<double> d2)
    {
        if (w2.Length != 8)
        {
            return ScalarStencil.GatherRows(potential, offsets, c1, c2, w2, d2);
        }
        ref double phi = ref MemoryMarshal.GetReference(potential);
        var acc1 = Vector512<double>.Zero;
        var acc2 = Vector512<double>.Zero;
        // c1[q1], c2[q1] broadcast from registers (Shuffle → vpermpd), not reloaded from the vectors just stored into
        // c1/c2 (measured: gathering −10–20 % at n = 10⁶; the same values, so the same bits).
        var all1 = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(c1));
        var all2 = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(c2));
        for (int q1 = 0; q1 < 8; q1++)
        {
            var row = Vector512.LoadUnsafe(ref phi, (nuint)offsets[q1]);
            var lane = Vector512.Create((long)q1);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Shuffle(all1, lane), row, acc1);
            acc2 = Vector512.FusedMultiplyAdd(Vector512.Shuffle(all2, lane), row, acc2);
        }
        return (Vector512.Sum(acc1 * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(w2))),
            Vector512.Sum(acc2 * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(d2))));
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

/// <summary><see cref="IStencilLanes.GatherRows"/> written once over a lane width's Accumulate and Dot.</summary>
internal static class StencilRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double) Gather<TLanes>(ReadOnlySpan<double> potential, ReadOnlySpan<int> offsets,
        ReadOnlySpan<double> c1, ReadOnlySpan<double> c2, ReadOnlySpan<double> w2, ReadOnlySpan<double> d2)
        where TLanes : IStencilLanes
    {
        int order = w2.Length;
        Span<double> acc1 = stackalloc double[order];
        Span<double> acc2 = stackalloc double[order];
        for (int q1 = 0; q1 < order; q1++)
        {
            TLanes.Accumulate(potential.Slice(offsets[q1], order), c1[q1], c2[q1], acc1, acc2);
        }
        return (TLanes.Dot(acc1, w2), TLanes.Dot(acc2, d2));
    }
}
