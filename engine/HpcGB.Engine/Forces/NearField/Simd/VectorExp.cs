using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>
/// e^x in every lane, inlined into the pair loop (the runtime's Vector256.Exp is an out-of-line call, and on
/// SysV x64 every live vector register must be spilled around it). Cody–Waite reduction x = n ln2 + r,
/// |r| ≤ ln2/2 (n by the 1.5·2^52 rounding trick, r with two FMAs), e^r = 1 + r + r²P(r) with P a degree-9
/// Chebyshev fit (evaluated by Estrin's scheme for a short dependency chain) (mpmath; 1.3e-16 relative in a double evaluation), and the scaling by 2^n added to the
/// exponent bits. Max error ≈ 1 ulp. Domain x ≤ 709; x &lt; −708 gives 0 (no subnormals).
/// The two widths are the same code (written out per width so that it costs the JIT one inline, not dozens).
/// </summary>
internal static class VectorExp
{
    internal const double Log2E = 1.4426950408889634;
    internal const double Ln2Hi = 0.6931471805599453;
    internal const double Ln2Lo = 2.3190468138462996e-17;

    /// <summary>1.5·2^52: adding it rounds to an integer that sits in the low mantissa bits.</summary>
    internal const double Magic = 6755399441055744.0;

    internal const double Lowest = -708.0;
    internal const double Highest = 709.0;

    // (e^r − 1 − r)/r² ≈ C0 + C1 r + … + C9 r⁹ on [−ln2/2, ln2/2].
    private const double C0 = 0.5000000000000001;
    private const double C1 = 0.16666666666666669;
    private const double C2 = 0.041666666666624164;
    private const double C3 = 0.008333333333330065;
    private const double C4 = 0.0013888888917196719;
    private const double C5 = 0.00019841269863040545;
    private const double C6 = 2.4801521322368692e-05;
    private const double C7 = 2.7557268480310024e-06;
    private const double C8 = 2.7620075879983367e-07;
    private const double C9 = 2.5100375832561234e-08;

    /// <summary>C0 … C9 (the OpenCL path's generated header).</summary>
    internal static ReadOnlySpan<double> Polynomial => [C0, C1, C2, C3, C4, C5, C6, C7, C8, C9];

    /// <summary>e^x in each lane (domain x ≤ 709; x &lt; −708 gives 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        return Vector256.AndNot(ExpInDomain(clamped), Vector256.LessThan(x, Vector256.Create(Lowest)));
    }

    /// <summary>
    /// e^x for −708 ≤ x ≤ 709 (the same bits as <see cref="Exp(Vector256{double})"/> there), without the clamps: for
    /// arguments the caller has bounded (other lanes get unspecified bits, which a mask must then clear).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpInDomain(Vector256<double> x)
    {
        var shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Magic));
        var n = shifted - Vector256.Create(Magic);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        // Estrin's scheme: dependency depth 4 instead of Horner's 9.
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = Vector256.FusedMultiplyAdd(Vector256.Create(C1), r, Vector256.Create(C0));
        var p23 = Vector256.FusedMultiplyAdd(Vector256.Create(C3), r, Vector256.Create(C2));
        var p45 = Vector256.FusedMultiplyAdd(Vector256.Create(C5), r, Vector256.Create(C4));
        var p67 = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        var p89 = Vector256.FusedMultiplyAdd(Vector256.Create(C9), r, Vector256.Create(C8));
        var p03 = Vector256.FusedMultiplyAdd(p23, r2, p01);
        var p47 = Vector256.FusedMultiplyAdd(p67, r2, p45);
        var p = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(p89, r4, p47), r4, p03);
        var er = Vector256.FusedMultiplyAdd(r2, p, r) + Vector256<double>.One;
        // Multiply by 2^n: n sits in the low bits of `shifted`; add it to the exponent field.
        return (er.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }

    /// <summary>e^x in each lane (domain x ≤ 709; x &lt; −708 gives 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        var clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        return Vector512.AndNot(ExpInDomain(clamped), Vector512.LessThan(x, Vector512.Create(Lowest)));
    }

    /// <summary>
    /// e^x for −708 ≤ x ≤ 709 (the same bits as <see cref="Exp(Vector512{double})"/> there), without the clamps: for
    /// arguments the caller has bounded (other lanes get unspecified bits, which a mask must then clear).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpInDomain(Vector512<double> x)
    {
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Magic));
        var n = shifted - Vector512.Create(Magic);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        // Estrin's scheme: dependency depth 4 instead of Horner's 9.
        var r2 = r * r;
        var r4 = r2 * r2;
        var p01 = Vector512.FusedMultiplyAdd(Vector512.Create(C1), r, Vector512.Create(C0));
        var p23 = Vector512.FusedMultiplyAdd(Vector512.Create(C3), r, Vector512.Create(C2));
        var p45 = Vector512.FusedMultiplyAdd(Vector512.Create(C5), r, Vector512.Create(C4));
        var p67 = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        var p89 = Vector512.FusedMultiplyAdd(Vector512.Create(C9), r, Vector512.Create(C8));
        var p03 = Vector512.FusedMultiplyAdd(p23, r2, p01);
        var p47 = Vector512.FusedMultiplyAdd(p67, r2, p45);
        var p = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(p89, r4, p47), r4, p03);
        var er = Vector512.FusedMultiplyAdd(r2, p, r) + Vector512<double>.One;
        // Multiply by 2^n: n sits in the low bits of `shifted`; add it to the exponent field.
        return (er.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }
}
