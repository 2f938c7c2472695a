using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>Eight lanes of <c>Vector512&lt;double&gt;</c> (AVX-512F when accelerated; a software fallback otherwise, used only by tests).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<double>, Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Create(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint index) => Vector512.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint index) => value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Round(Vector512<double> a) => Vector512.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);

    public static Vector512<double> Indices => Vector512<double>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector512<double> mask) => mask.ExtractMostSignificantBits() != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Keep(Vector512<double> mask, Vector512<double> value) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> a, Vector512<double> b) => Vector512.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskBits(Vector512<double> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Min(Vector512<double> a, Vector512<double> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Append(Vector512<double> mask, Vector512<double> a, Vector512<double> b, Vector512<double> c,
        Vector512<double> d,
        ref double bufferA, ref double bufferB, ref double bufferC, ref double bufferD, nint at)
    {
        ulong bits = mask.ExtractMostSignificantBits();
        if (Avx512F.IsSupported)
        {
            // vcompresspd: the selected lanes to the front.
            Avx512F.Compress(Vector512<double>.Zero, mask, a).StoreUnsafe(ref bufferA, (nuint)at);
            Avx512F.Compress(Vector512<double>.Zero, mask, b).StoreUnsafe(ref bufferB, (nuint)at);
            Avx512F.Compress(Vector512<double>.Zero, mask, c).StoreUnsafe(ref bufferC, (nuint)at);
            Avx512F.Compress(Vector512<double>.Zero, mask, d).StoreUnsafe(ref bufferD, (nuint)at);
        }
        else
        {
            // Software fallback (tests on machines without AVX-512).
            int k = 0;
            for (int lane = 0; lane < Vector512<double>.Count; lane++)
            {
                if ((bits & (1ul << lane)) != 0)
                {
                    Unsafe.Add(ref bufferA, at + k) = a[lane];
                    Unsafe.Add(ref bufferB, at + k) = b[lane];
                    Unsafe.Add(ref bufferC, at + k) = c[lane];
                    Unsafe.Add(ref bufferD, at + k) = d[lane];
                    k++;
                }
            }
        }
        return BitOperations.PopCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AppendEntries(Vector512<double> mask, ref int source, nint index, int flag, ref int destination, nint at)
    {
        ulong bits = mask.ExtractMostSignificantBits();
        if (!Avx512F.VL.IsSupported)
        {
            // Software fallback (tests on machines without AVX-512).
            return EntryPacking.Append(bits, Vector512<double>.Count, ref source, index, flag, ref destination, at);
        }
        // vpcompressd of the eight entries, selected by the mask's lanes narrowed to 32 bits.
        var selected = Avx512F.ConvertToVector256Int32(mask.AsInt64());
        var entries = Vector256.LoadUnsafe(ref source, (nuint)index) | Vector256.Create(flag);
        Avx512F.VL.Compress(Vector256<int>.Zero, selected, entries).StoreUnsafe(ref destination, (nuint)at);
        return BitOperations.PopCount(bits);
    }

    /// <summary>Pairwise halves (6 instructions; the runtime's Sum takes three times as many).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value)
    {
        var half = value.GetLower() + value.GetUpper();
        var quarter = half.GetLower() + half.GetUpper();
        return quarter.ToScalar() + quarter.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TOp>(in TOp op, Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2)
        where TOp : struct, IShortRangeOperator => op.Invoke(x1, x2, r2, out g1, out g2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Potential<TOp>(in TOp op, Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
        where TOp : struct, IShortRangeOperator => op.Potential(x1, x2, r2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientAndPotential<TOp>(in TOp op, Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
        where TOp : struct, IShortRangeOperator => op.InvokeWithPotential(x1, x2, r2, out g1, out g2, out s);
}
