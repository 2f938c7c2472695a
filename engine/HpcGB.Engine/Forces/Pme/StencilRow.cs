using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// One row of a particle's p×p B-spline stencil on contiguous mesh points: the inner loops of spreading and
/// gathering. Order 8 is one Vector512 (or two Vector256) per row, the common case on the fast path; other orders
/// take the plain loop. Every path adds the same terms in the same order per mesh point, so only FMA rounding
/// differs between them.
/// </summary>
internal static class StencilRow
{
    /// <summary>row[q] += a · w[q] for q = 0 … w.Length − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> row, ReadOnlySpan<double> w, double a)
    {
        if (w.Length == 8 && Vector512.IsHardwareAccelerated)
        {
            ref double r = ref MemoryMarshal.GetReference(row);
            var v = Vector512.LoadUnsafe(ref r);
            Vector512.FusedMultiplyAdd(Vector512.Create(a), Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(w)), v).StoreUnsafe(ref r);
            return;
        }
        if (w.Length == 8 && Vector256.IsHardwareAccelerated)
        {
            ref double r = ref MemoryMarshal.GetReference(row);
            ref double wr = ref MemoryMarshal.GetReference(w);
            var va = Vector256.Create(a);
            Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref wr), Vector256.LoadUnsafe(ref r)).StoreUnsafe(ref r);
            Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref wr, 4), Vector256.LoadUnsafe(ref r, 4)).StoreUnsafe(ref r, 4);
            return;
        }
        for (int q = 0; q < w.Length; q++)
        {
            row[q] += a * w[q];
        }
    }

    /// <summary>
    /// acc1 += c1 · row and acc2 += c2 · row elementwise (row.Length = acc1.Length = acc2.Length): the gather's
    /// column sums, reduced against the second axis's weights once per particle by <see cref="Dot"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ReadOnlySpan<double> row, double c1, double c2, Span<double> acc1, Span<double> acc2)
    {
        if (row.Length == 8 && Vector512.IsHardwareAccelerated)
        {
            var phi = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(row));
            ref double a1 = ref MemoryMarshal.GetReference(acc1);
            ref double a2 = ref MemoryMarshal.GetReference(acc2);
            Vector512.FusedMultiplyAdd(Vector512.Create(c1), phi, Vector512.LoadUnsafe(ref a1)).StoreUnsafe(ref a1);
            Vector512.FusedMultiplyAdd(Vector512.Create(c2), phi, Vector512.LoadUnsafe(ref a2)).StoreUnsafe(ref a2);
            return;
        }
        if (row.Length == 8 && Vector256.IsHardwareAccelerated)
        {
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
            return;
        }
        for (int q = 0; q < row.Length; q++)
        {
            acc1[q] += c1 * row[q];
            acc2[q] += c2 * row[q];
        }
    }

    /// <summary>Σ_q a[q] b[q].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 8 && Vector512.IsHardwareAccelerated)
        {
            return Vector512.Sum(Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(a)) * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(b)));
        }
        if (a.Length == 8 && Vector256.IsHardwareAccelerated)
        {
            ref double ra = ref MemoryMarshal.GetReference(a);
            ref double rb = ref MemoryMarshal.GetReference(b);
            return Vector256.Sum(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, 4), Vector256.LoadUnsafe(ref rb, 4),
                Vector256.LoadUnsafe(ref ra) * Vector256.LoadUnsafe(ref rb)));
        }
        double sum = 0;
        for (int q = 0; q < a.Length; q++)
        {
            sum += a[q] * b[q];
        }
        return sum;
    }
}
