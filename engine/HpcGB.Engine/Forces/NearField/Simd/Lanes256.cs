using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>Four lanes of <c>Vector256&lt;double&gt;</c> (AVX2 + FMA when accelerated).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<double>, Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Create(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nint index) => Vector256.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nint index) => value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Round(Vector256<double> a) => Vector256.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);

    public static Vector256<double> Indices => Vector256<double>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector256<double> mask) => mask.ExtractMostSignificantBits() != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Keep(Vector256<double> mask, Vector256<double> value) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> a, Vector256<double> b) => Vector256.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskBits(Vector256<double> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> a, Vector256<double> b) => Vector256.MinNative(a, b);

    /// <summary>vpermps index vectors that move the selected doubles (pairs of floats) to the front, for each 4-bit mask.</summary>
    private static readonly Vector256<int>[] PackPermutations = BuildPackPermutations();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Append(Vector256<double> mask, Vector256<double> a, Vector256<double> b, Vector256<double> c,
        Vector256<double> d,
        ref double bufferA, ref double bufferB, ref double bufferC, ref double bufferD, nint at)
    {
        uint bits = mask.ExtractMostSignificantBits();
        if (Avx2.IsSupported)
        {
            var permutation = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(PackPermutations), (nint)bits);
            Avx2.PermuteVar8x32(a.AsSingle(), permutation).AsDouble().StoreUnsafe(ref bufferA, (nuint)at);
            Avx2.PermuteVar8x32(b.AsSingle(), permutation).AsDouble().StoreUnsafe(ref bufferB, (nuint)at);
            Avx2.PermuteVar8x32(c.AsSingle(), permutation).AsDouble().StoreUnsafe(ref bufferC, (nuint)at);
            Avx2.PermuteVar8x32(d.AsSingle(), permutation).AsDouble().StoreUnsafe(ref bufferD, (nuint)at);
        }
        else
        {
            int k = 0;
            for (int lane = 0; lane < Vector256<double>.Count; lane++)
            {
                if ((bits & (1u << lane)) != 0)
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

    private static Vector256<int>[] BuildPackPermutations()
    {
        var table = new Vector256<int>[16];
        Span<int> indices = stackalloc int[8];
        for (int bits = 0; bits < 16; bits++)
        {
            indices.Clear();
            int k = 0;
            for (int lane = 0; lane < 4; lane++)
            {
                if ((bits & (1 << lane)) != 0)
                {
                    indices[2 * k] = 2 * lane;
                    indices[2 * k + 1] = 2 * lane + 1;
                    k++;
                }
            }
            table[bits] = Vector256.Create<int>(indices);
        }
        return table;
    }

    /// <summary>The branch-free loop over four lanes (AVX2 has no compress instruction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AppendEntries(Vector256<double> mask, ref int source, nint index, int flag, ref int destination, nint at) =>
        EntryPacking.Append(mask.ExtractMostSignificantBits(), Vector256<double>.Count, ref source, index, flag, ref destination, at);

    /// <summary>Pairwise halves (4 instructions; the runtime's Sum takes twice as many).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return half.ToScalar() + half.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TOp>(in TOp op, Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2)
        where TOp : struct, IShortRangeOperator => op.Invoke(x1, x2, r2, out g1, out g2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Potential<TOp>(in TOp op, Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
        where TOp : struct, IShortRangeOperator => op.Potential(x1, x2, r2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientAndPotential<TOp>(in TOp op, Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
        where TOp : struct, IShortRangeOperator => op.InvokeWithPotential(x1, x2, r2, out g1, out g2, out s);
}
