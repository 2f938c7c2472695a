using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>One lane: plain double arithmetic (no FMA, no intrinsics), the reference path.</summary>
internal readonly struct ScalarLanes : ILanes<double, bool>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Create(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source, nint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination, nint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Subtract(double a, double b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Multiply(double a, double b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Round(double a) => Math.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(double a, double b) => a < b;

    public static double Indices => 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool And(bool a, bool b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(bool mask) => mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Keep(bool mask, double value) => mask ? value : 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Select(bool mask, double a, double b) => mask ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskBits(bool mask) => mask ? 1ul : 0ul;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double a) => Math.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) => Math.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) => a < b ? a : b;

    /// <summary>Stores unconditionally and advances by 0 or 1 (no branch on the cut-off test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Append(bool mask, double a, double b, double c, double d,
        ref double bufferA, ref double bufferB, ref double bufferC, ref double bufferD, nint at)
    {
        Unsafe.Add(ref bufferA, at) = a;
        Unsafe.Add(ref bufferB, at) = b;
        Unsafe.Add(ref bufferC, at) = c;
        Unsafe.Add(ref bufferD, at) = d;
        return mask ? 1 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AppendEntries(bool mask, ref int source, nint index, int flag, ref int destination, nint at)
    {
        Unsafe.Add(ref destination, at) = Unsafe.Add(ref source, index) | flag;
        return mask ? 1 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TOp>(in TOp op, double x1, double x2, double r2, out double g1, out double g2)
        where TOp : struct, IShortRangeOperator => op.Invoke(x1, x2, r2, out g1, out g2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Potential<TOp>(in TOp op, double x1, double x2, double r2)
        where TOp : struct, IShortRangeOperator => op.Potential(x1, x2, r2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientAndPotential<TOp>(in TOp op, double x1, double x2, double r2, out double g1, out double g2, out double s)
        where TOp : struct, IShortRangeOperator
    {
        op.Invoke(x1, x2, r2, out g1, out g2);
        s = op.Potential(x1, x2, r2);
    }
}
