using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Numerics;

/// <summary>
/// Fast E1 and Ein for the short-range energies: scalar, <c>Vector256</c> and <c>Vector512</c>, the same
/// approximation in every width (the vector widths are the same code written out per type). Max relative error
/// on (0, 60]: 5.0e-16 scalar, 6.5e-16 vector (7.1e-16 up to t = 700), tested on 2·10⁵ log-spaced points against
/// a double-double reference. Two regimes, blended per lane (a regime no lane needs is skipped):
/// <list type="bullet">
/// <item>t ≤ 1: E1(t) = −ln t + P(t), P(t) = Ein(t) − γ = −γ + Σ_{k=1}^{18} (−1)^{k+1} t^k/(k·k!) (the
/// series, truncation &lt; 5e-19). −ln t ≥ 0 and |P| &lt; 0.6, so the sum loses at most a factor 1.7.</item>
/// <item>t &gt; 1: E1(t) = e^{−t} f(x)/t with x = 1/t and f(x) = t e^t E1(t) = ∫_0^∞ e^{−s}/(1 + xs) ds, a
/// Stieltjes function, approximated as f = c0 + (x − ½)·P10(x)/Q10(x) (a least-squares/Lawson rational fit
/// made with mpmath at 60 digits, fit error 4e-17 relative to f on x ∈ [0, 1]). Writing f as the value at
/// x = ½ plus a correction of at most 28 % keeps the rounding of the two degree-10 Horner sums (≈ 3 ulp each
/// with these growing positive coefficients) out of the result (1.8e-16 in a double evaluation).</item>
/// </list>
/// E1(0) = +∞; t &lt; 0 and NaN give NaN; the vector widths return 0 beyond t = 708 (no subnormals). Ein is the
/// series for t ≤ 1 and E1 + γ + ln t above. The vector logarithm is the runtime's (≤ 2 ulp).
/// <para>
/// The near-field energies call the overloads that take e^{−t} from the force's exponential (<c>E1(t, expMinusT)</c>):
/// for t &gt; 1 the same fit written in t with one division, E1 = e^{−t}[C0·t·D*(t) + (1 − t/2)N*(t)]/(t²D*(t)),
/// N* and D* the numerator and denominator with their coefficients reversed (t¹⁰N(1/t), t¹⁰D(1/t); positive t,
/// coefficients of one sign: no cancellation), instead of a second exponential and three divisions. D*'s rounding
/// cancels between the C0 term and the denominator; what is left scales with the correction (≤ 28 %). Their
/// t ≤ 1 branch takes ln t from the exponent bits and ln m = 2 atanh((m − 1)/(m + 1)) on m ∈ [√½, √2) (one division,
/// ten multiply-adds) instead of the runtime's vector logarithm (−6 M of 61 M instructions in the n = 4096 near field
/// with the energy); subnormal t and 0 fall back to the runtime's. Same 6.7e-16 on (0, 700].
/// </para>
/// </summary>
public static class VectorE1
{
    private const double EulerGamma = ExponentialIntegral.EulerGamma;

    /// <summary>c0 = f(½) rounded to double.</summary>
    internal const double C0 = 0.7226572337764452;

    /// <summary>(−1)^{k+1}/(k·k!), k = 18 … 1 (Horner order, highest first).</summary>
    internal static ReadOnlySpan<double> EinSeries =>
    [
        -8.677337204770125e-18, 1.6537983849091297e-16, -2.9871733327421158e-15, 5.0981091545465446e-14,
        -8.193389712664089e-13, 1.2353110643708935e-11, -1.7397297489890083e-10, 2.27746439867652e-09,
        -2.755731922398589e-08, 3.0619243582206544e-07, -3.1001984126984127e-06, 2.834467120181406e-05,
        -0.0002314814814814815, 0.0016666666666666668, -0.010416666666666666, 0.05555555555555555, -0.25, 1.0,
    ];

    /// <summary>Numerator of the correction, x¹⁰ … x⁰.</summary>
    internal static ReadOnlySpan<double> Numerator =>
    [
        -0.7295980268022949, -821.5530699182517, -9731.820416815672, -34675.28070932206, -52543.62560897749,
        -39315.63672124583, -15661.455354143822, -3423.248677020928, -405.50579064849853, -24.079745663046037,
        -0.5546855324471096,
    ];

    /// <summary>Denominator of the correction, x¹⁰ … x⁰.</summary>
    internal static ReadOnlySpan<double> Denominator =>
    [
        1198.0217529958984, 17872.80120170886, 83936.63932862984, 174748.3102279833, 186582.01385708307,
        110151.40547889378, 37294.78355650399, 7288.530311986628, 799.3369566548184, 45.017173042155704, 1.0,
    ];

    /// <summary>The numerator with its coefficients reversed, t¹⁰ … t⁰: N*(t) = t¹⁰N(1/t).</summary>
    internal static ReadOnlySpan<double> NumeratorInT =>
    [
        -0.5546855324471096, -24.079745663046037, -405.50579064849853, -3423.248677020928, -15661.455354143822,
        -39315.63672124583, -52543.62560897749, -34675.28070932206, -9731.820416815672, -821.5530699182517,
        -0.7295980268022949,
    ];

    /// <summary>The denominator with its coefficients reversed, t¹⁰ … t⁰: D*(t) = t¹⁰D(1/t).</summary>
    internal static ReadOnlySpan<double> DenominatorInT =>
    [
        1.0, 45.017173042155704, 799.3369566548184, 7288.530311986628, 37294.78355650399, 110151.40547889378,
        186582.01385708307, 174748.3102279833, 83936.63932862984, 17872.80120170886, 1198.0217529958984,
    ];

    /// <summary>Below this (subnormal t, 0) the runtime's logarithm runs instead of <c>LogOfNormal</c>.</summary>
    private const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>Bits of 1 minus bits of √½: adding it puts the exponent of t·√2 (rounded) in the top bits.</summary>
    private const ulong LogShift = 0x3FF0000000000000UL - SqrtHalfBits;

    private const ulong SqrtHalfBits = 0x3FE6A09E667F3BCDUL;
    private const ulong MantissaMask = 0x000FFFFFFFFFFFFFUL;
    private const ulong TwoTo52Bits = 0x4330000000000000UL;
    private const double TwoTo52PlusBias = 4503599627371519.0;

    /// <summary>ln 2 split: the high part has 41 significant bits, so k·Ln2High is exact for |k| &lt; 2¹¹.</summary>
    private const double Ln2High = 0.693147180559663;
    private const double Ln2Low = 2.8235290563031577e-13;

    /// <summary>
    /// ln(1 + f) = 2 atanh(s) = f − [f²/2 − s(f²/2 + R)], s = f/(2 + f), R = Σ_{j=1}^{10} 2z^j/(2j + 1), z = s² ≤ 0.0295
    /// for m = 1 + f ∈ [√½, √2) (the series' truncation &lt; 1e-18 relative); the coefficients 2/(2j + 1), j = 10 … 1.
    /// f is exact and carries the result; the rest is below f/2 and adds its rounding to that part only.
    /// </summary>
    internal static ReadOnlySpan<double> LogTail =>
    [
        2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13, 2.0 / 11, 2.0 / 9, 2.0 / 7, 2.0 / 5, 2.0 / 3,
    ];

    /// <summary>E1(t) for t &gt; 0.</summary>
    public static double E1(double t) => t <= 1.0 ? -Math.Log(t) + SeriesMinusGamma(t) : LargeE1(t);

    /// <summary>Ein(t) = E1(t) + γ + ln t, for t ≥ 0 (entire; no cancellation for small t).</summary>
    public static double Ein(double t) => t <= 1.0 ? Series(t) : LargeE1(t) + EulerGamma + Math.Log(t);

    /// <summary>Ein(t) by its series, for 0 ≤ t ≤ 1.</summary>
    internal static double Series(double t) => Horner(t, EinSeries) * t;

    private static double SeriesMinusGamma(double t) => Math.FusedMultiplyAdd(Horner(t, EinSeries), t, -EulerGamma);

    private static double LargeE1(double t)
    {
        double x = 1.0 / t;
        double f = Math.FusedMultiplyAdd(x - 0.5, Horner(x, Numerator) / Horner(x, Denominator), C0);
        return Math.Exp(-t) * f / t;
    }

    private static double Horner(double x, ReadOnlySpan<double> coefficients)
    {
        double p = coefficients[0];
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Math.FusedMultiplyAdd(p, x, coefficients[k]);
        }
        return p;
    }

    private const uint AllLanes256 = 0xF;
    private const ulong AllLanes512 = 0xFF;

    /// <summary>E1 of each lane.</summary>
    public static Vector256<double> E1(Vector256<double> t)
    {
        var one = Vector256<double>.One;
        var small = Vector256.LessThanOrEqual(t, one);
        uint bits = small.ExtractMostSignificantBits();
        Vector256<double> below = default, above = default;
        if (bits != 0)
        {
            // Clamp so that lanes of the other regime stay finite and cheap.
            var ts = Vector256.Min(t, one);
            below = SeriesMinusGamma(ts) - Vector256.Log(ts);
        }
        if (bits != AllLanes256)
        {
            above = LargeE1(Vector256.Max(t, one));
        }
        return Vector256.ConditionalSelect(small, below, above);
    }

    /// <summary>
    /// E1 of each lane given <paramref name="expMinusT"/> = e^{−t} (the caller's exponential; only the lanes with
    /// t &gt; 1 use it), t ≤ <see cref="Forces.NearField.ShortRangeMath.MaxExponent"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> E1(Vector256<double> t, Vector256<double> expMinusT)
    {
        var one = Vector256<double>.One;
        var small = Vector256.LessThanOrEqual(t, one);
        uint bits = small.ExtractMostSignificantBits();
        Vector256<double> below = default, above = default;
        if (bits != 0)
        {
            var ts = Vector256.Min(t, one);
            var log = Vector256.LessThanAny(ts, Vector256.Create(SmallestNormal)) ? Vector256.Log(ts) : LogOfNormal(ts);
            below = SeriesMinusGamma(ts) - log;
        }
        if (bits != AllLanes256)
        {
            above = LargeE1(Vector256.Max(t, one), expMinusT);
        }
        return Vector256.ConditionalSelect(small, below, above);
    }

    /// <summary>ln t for normal t &gt; 0 (see <see cref="LogTail"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogOfNormal(Vector256<double> t)
    {
        // t = 2^k·m with m ∈ [√½, √2): adding LogShift carries t ≥ √½·2^k into exponent k + 1023; m keeps the mantissa.
        var u = t.AsUInt64() + Vector256.Create(LogShift);
        var k = (Vector256.ShiftRightLogical(u, 52) | Vector256.Create(TwoTo52Bits)).AsDouble() - Vector256.Create(TwoTo52PlusBias);
        var m = ((u & Vector256.Create(MantissaMask)) + Vector256.Create(SqrtHalfBits)).AsDouble();
        var f = m - Vector256<double>.One;
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var r = Vector256.Create(LogTail[0]);
        for (int j = 1; j < LogTail.Length; j++)
        {
            r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(LogTail[j]));
        }
        r *= z;
        var halfSquare = Vector256.Create(0.5) * f * f;
        var tail = Vector256.FusedMultiplyAdd(s, halfSquare + r, k * Vector256.Create(Ln2Low));
        return Vector256.FusedMultiplyAdd(k, Vector256.Create(Ln2High), f - (halfSquare - tail));
    }

    /// <summary>E1(t) = e^{−t}[C0·t·D*(t) + (1 − t/2)N*(t)]/(t²D*(t)) for t ≥ 1 (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LargeE1(Vector256<double> t, Vector256<double> expMinusT)
    {
        var t2 = t * t;
        var t4 = t2 * t2;
        var t8 = t4 * t4;
        var denominator = Estrin(t, t2, t4, t8, DenominatorInT);
        var correction = Vector256.FusedMultiplyAdd(Vector256.Create(-0.5), t, Vector256<double>.One) * Estrin(t, t2, t4, t8, NumeratorInT);
        var numerator = Vector256.FusedMultiplyAdd(Vector256.Create(C0) * t, denominator, correction);
        return expMinusT * numerator / (t2 * denominator);
    }

    /// <summary>
    /// A degree-10 polynomial (coefficients highest first) by Estrin's scheme: four multiply-adds deep instead of
    /// Horner's ten (the energy's chain in the pair loop); for t &gt; 0 and coefficients of one sign every partial
    /// sum adds terms of one sign, so the rounding is Horner's few ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Estrin(Vector256<double> t, Vector256<double> t2, Vector256<double> t4, Vector256<double> t8, ReadOnlySpan<double> c)
    {
        var p01 = Vector256.FusedMultiplyAdd(Vector256.Create(c[9]), t, Vector256.Create(c[10]));
        var p23 = Vector256.FusedMultiplyAdd(Vector256.Create(c[7]), t, Vector256.Create(c[8]));
        var p45 = Vector256.FusedMultiplyAdd(Vector256.Create(c[5]), t, Vector256.Create(c[6]));
        var p67 = Vector256.FusedMultiplyAdd(Vector256.Create(c[3]), t, Vector256.Create(c[4]));
        var p89 = Vector256.FusedMultiplyAdd(Vector256.Create(c[1]), t, Vector256.Create(c[2]));
        var q0 = Vector256.FusedMultiplyAdd(p23, t2, p01);
        var q1 = Vector256.FusedMultiplyAdd(p67, t2, p45);
        var q2 = Vector256.FusedMultiplyAdd(Vector256.Create(c[0]), t2, p89);
        return Vector256.FusedMultiplyAdd(q2, t8, Vector256.FusedMultiplyAdd(q1, t4, q0));
    }

    /// <summary>Ein of each lane.</summary>
    public static Vector256<double> Ein(Vector256<double> t)
    {
        var one = Vector256<double>.One;
        var small = Vector256.LessThanOrEqual(t, one);
        uint bits = small.ExtractMostSignificantBits();
        Vector256<double> below = default, above = default;
        if (bits != 0)
        {
            below = Series(Vector256.Min(t, one));
        }
        if (bits != AllLanes256)
        {
            var tl = Vector256.Max(t, one);
            above = LargeE1(tl) + Vector256.Create(EulerGamma) + Vector256.Log(tl);
        }
        return Vector256.ConditionalSelect(small, below, above);
    }

    /// <summary>Ein(t) by its series, for 0 ≤ t ≤ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Series(Vector256<double> t) => Horner(t, EinSeries) * t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SeriesMinusGamma(Vector256<double> t) =>
        Vector256.FusedMultiplyAdd(Horner(t, EinSeries), t, Vector256.Create(-EulerGamma));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LargeE1(Vector256<double> t)
    {
        var x = Vector256<double>.One / t;
        var ratio = Horner(x, Numerator) / Horner(x, Denominator);
        var f = Vector256.FusedMultiplyAdd(x - Vector256.Create(0.5), ratio, Vector256.Create(C0));
        return VectorExp.Exp(-t) * f / t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Horner(Vector256<double> x, ReadOnlySpan<double> coefficients)
    {
        var p = Vector256.Create(coefficients[0]);
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(coefficients[k]));
        }
        return p;
    }

    /// <summary>E1 of each lane.</summary>
    public static Vector512<double> E1(Vector512<double> t)
    {
        var one = Vector512<double>.One;
        var small = Vector512.LessThanOrEqual(t, one);
        ulong bits = small.ExtractMostSignificantBits();
        Vector512<double> below = default, above = default;
        if (bits != 0)
        {
            // Clamp so that lanes of the other regime stay finite and cheap.
            var ts = Vector512.Min(t, one);
            below = SeriesMinusGamma(ts) - Vector512.Log(ts);
        }
        if (bits != AllLanes512)
        {
            above = LargeE1(Vector512.Max(t, one));
        }
        return Vector512.ConditionalSelect(small, below, above);
    }

    /// <summary>
    /// E1 of each lane given <paramref name="expMinusT"/> = e^{−t} (the caller's exponential; only the lanes with
    /// t &gt; 1 use it), t ≤ <see cref="Forces.NearField.ShortRangeMath.MaxExponent"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> E1(Vector512<double> t, Vector512<double> expMinusT)
    {
        var one = Vector512<double>.One;
        var small = Vector512.LessThanOrEqual(t, one);
        ulong bits = small.ExtractMostSignificantBits();
        Vector512<double> below = default, above = default;
        if (bits != 0)
        {
            var ts = Vector512.Min(t, one);
            var log = Vector512.LessThanAny(ts, Vector512.Create(SmallestNormal)) ? Vector512.Log(ts) : LogOfNormal(ts);
            below = SeriesMinusGamma(ts) - log;
        }
        if (bits != AllLanes512)
        {
            above = LargeE1(Vector512.Max(t, one), expMinusT);
        }
        return Vector512.ConditionalSelect(small, below, above);
    }

    /// <summary>ln t for normal t &gt; 0 (see <see cref="LogTail"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LogOfNormal(Vector512<double> t)
    {
        // t = 2^k·m with m ∈ [√½, √2): adding LogShift carries t ≥ √½·2^k into exponent k + 1023; m keeps the mantissa.
        var u = t.AsUInt64() + Vector512.Create(LogShift);
        var k = (Vector512.ShiftRightLogical(u, 52) | Vector512.Create(TwoTo52Bits)).AsDouble() - Vector512.Create(TwoTo52PlusBias);
        var m = ((u & Vector512.Create(MantissaMask)) + Vector512.Create(SqrtHalfBits)).AsDouble();
        var f = m - Vector512<double>.One;
        var s = f / (Vector512.Create(2.0) + f);
        var z = s * s;
        var r = Vector512.Create(LogTail[0]);
        for (int j = 1; j < LogTail.Length; j++)
        {
            r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(LogTail[j]));
        }
        r *= z;
        var halfSquare = Vector512.Create(0.5) * f * f;
        var tail = Vector512.FusedMultiplyAdd(s, halfSquare + r, k * Vector512.Create(Ln2Low));
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(Ln2High), f - (halfSquare - tail));
    }

    /// <summary>E1(t) = e^{−t}[C0·t·D*(t) + (1 − t/2)N*(t)]/(t²D*(t)) for t ≥ 1 (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LargeE1(Vector512<double> t, Vector512<double> expMinusT)
    {
        var t2 = t * t;
        var t4 = t2 * t2;
        var t8 = t4 * t4;
        var denominator = Estrin(t, t2, t4, t8, DenominatorInT);
        var correction = Vector512.FusedMultiplyAdd(Vector512.Create(-0.5), t, Vector512<double>.One) * Estrin(t, t2, t4, t8, NumeratorInT);
        var numerator = Vector512.FusedMultiplyAdd(Vector512.Create(C0) * t, denominator, correction);
        return expMinusT * numerator / (t2 * denominator);
    }

    /// <summary>
    /// A degree-10 polynomial (coefficients highest first) by Estrin's scheme: four multiply-adds deep instead of
    /// Horner's ten (the energy's chain in the pair loop); for t &gt; 0 and coefficients of one sign every partial
    /// sum adds terms of one sign, so the rounding is Horner's few ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Estrin(Vector512<double> t, Vector512<double> t2, Vector512<double> t4, Vector512<double> t8, ReadOnlySpan<double> c)
    {
        var p01 = Vector512.FusedMultiplyAdd(Vector512.Create(c[9]), t, Vector512.Create(c[10]));
        var p23 = Vector512.FusedMultiplyAdd(Vector512.Create(c[7]), t, Vector512.Create(c[8]));
        var p45 = Vector512.FusedMultiplyAdd(Vector512.Create(c[5]), t, Vector512.Create(c[6]));
        var p67 = Vector512.FusedMultiplyAdd(Vector512.Create(c[3]), t, Vector512.Create(c[4]));
        var p89 = Vector512.FusedMultiplyAdd(Vector512.Create(c[1]), t, Vector512.Create(c[2]));
        var q0 = Vector512.FusedMultiplyAdd(p23, t2, p01);
        var q1 = Vector512.FusedMultiplyAdd(p67, t2, p45);
        var q2 = Vector512.FusedMultiplyAdd(Vector512.Create(c[0]), t2, p89);
        return Vector512.FusedMultiplyAdd(q2, t8, Vector512.FusedMultiplyAdd(q1, t4, q0));
    }

    /// <summary>Ein of each lane.</summary>
    public static Vector512<double> Ein(Vector512<double> t)
    {
        var one = Vector512<double>.One;
        var small = Vector512.LessThanOrEqual(t, one);
        ulong bits = small.ExtractMostSignificantBits();
        Vector512<double> below = default, above = default;
        if (bits != 0)
        {
            below = Series(Vector512.Min(t, one));
        }
        if (bits != AllLanes512)
        {
            var tl = Vector512.Max(t, one);
            above = LargeE1(tl) + Vector512.Create(EulerGamma) + Vector512.Log(tl);
        }
        return Vector512.ConditionalSelect(small, below, above);
    }

    /// <summary>Ein(t) by its series, for 0 ≤ t ≤ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Series(Vector512<double> t) => Horner(t, EinSeries) * t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SeriesMinusGamma(Vector512<double> t) =>
        Vector512.FusedMultiplyAdd(Horner(t, EinSeries), t, Vector512.Create(-EulerGamma));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LargeE1(Vector512<double> t)
    {
        var x = Vector512<double>.One / t;
        var ratio = Horner(x, Numerator) / Horner(x, Denominator);
        var f = Vector512.FusedMultiplyAdd(x - Vector512.Create(0.5), ratio, Vector512.Create(C0));
        return VectorExp.Exp(-t) * f / t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Horner(Vector512<double> x, ReadOnlySpan<double> coefficients)
    {
        var p = Vector512.Create(coefficients[0]);
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(coefficients[k]));
        }
        return p;
    }
}
