using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>
/// e^x in every lane, inlined into the pair loop (the runtime's Vector256.Exp is an out-of-line call, and on
/// SysV x64 every live vector register must be spilled around it). Max error ≈ 1 ulp. Domain x ≤ 709; x &lt; −708
/// gives 0 (no subnormals). Written out per width (one inline for the JIT each); the widths differ in the reduction:
/// <list type="bullet">
/// <item>four lanes: Cody–Waite reduction x = n ln2 + r, |r| ≤ ln2/2 (n by the 1.5·2^52 rounding trick, r with two
/// FMAs), e^r = 1 + r + r²P(r) with P a degree-9 Chebyshev fit (mpmath; 1.3e-16 relative in a double evaluation) by
/// Estrin's scheme, and the scaling by 2^n added to the exponent bits (also the OpenCL kernels' exponential);</item>
/// <item>eight lanes: x = (16m + j) ln2/16 + r, |r| ≤ ln2/32, e^x = 2^m · 2^{j/16} · e^r with 2^{j/16} from a
/// 16-entry table in two registers (one vpermt2pd, indexed by the low 4 bits of the rounded 16x/ln2) and e^r − 1 =
/// r + r²Q(r), Q of degree 4 (2.9e-17 relative): five polynomial terms instead of ten, which took the n = 10⁶ near
/// field's CPU time down by about 5 % (docs/performance.md, tenth pass). AVX2 has no two-register permute of doubles.</item>
/// </list>
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

    /// <summary>Entries 2^{j/16} of the eight-lane path's table.</summary>
    private const double TableSize = 16;

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

    // (e^r − 1 − r)/r² ≈ Q0 + Q1 r + … + Q4 r⁴ on [−ln2/32, ln2/32] (least squares on Chebyshev nodes, mpmath).
    private const double Q0 = 0.4999999999999991;
    private const double Q1 = 0.1666666666530219;
    private const double Q2 = 0.04166666666418464;
    private const double Q3 = 0.00833344968360136;
    private const double Q4 = 0.0013889046891445483;

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
        // k = 16m + j rounded from 16x/ln2 sits in the low bits of `shifted`.
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(TableSize * Log2E), Vector512.Create(Magic));
        var k = shifted - Vector512.Create(Magic);
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi / TableSize), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo / TableSize), r);
        var t = TableEntry(shifted.AsInt64());
        var r2 = r * r;
        var q01 = Vector512.FusedMultiplyAdd(Vector512.Create(Q1), r, Vector512.Create(Q0));
        var q23 = Vector512.FusedMultiplyAdd(Vector512.Create(Q3), r, Vector512.Create(Q2));
        var q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.Create(Q4), r2, q23), r2, q01);
        var expMinusOne = Vector512.FusedMultiplyAdd(r2, q, r);
        var er = Vector512.FusedMultiplyAdd(t, expMinusOne, t);
        // Multiply by 2^m: m = k >> 4 (arithmetic, as the offset 2^51 in the mantissa keeps it positive); add it to
        // the exponent field. The result stays normal for x ≥ −708: er < 1 only where j = 0 and r < 0, and there
        // m ≥ −1021 (k ≥ −16343 > −16352 = 16·(−1022)).
        return (er.AsUInt64() + ((shifted.AsUInt64() >> 4) << 52)).AsDouble();
    }

    /// <summary>2^{j/16} for j the low 4 bits of each lane of <paramref name="index"/> (vpermt2pd ignores the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> TableEntry(Vector512<long> index)
    {
        var lower = Vector512.Create(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916,
            1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927);
        var upper = Vector512.Create(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543,
            1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474);
        if (Avx512F.IsSupported)
        {
            return Avx512F.PermuteVar8x64x2(lower, index, upper);
        }
        // Software fallback (tests on machines without AVX-512).
        var within = index & Vector512.Create(7L);
        var high = Vector512.Equals(index & Vector512.Create(8L), Vector512.Create(8L)).AsDouble();
        return Vector512.ConditionalSelect(high, Vector512.Shuffle(upper, within), Vector512.Shuffle(lower, within));
    }
}
