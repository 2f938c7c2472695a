namespace HpcGB.Engine.Tests.NearField;

/// <summary>
/// Double-double arithmetic (≈ 32 digits; Dekker/Knuth error-free transformations with FMA): the extended
/// precision oracle for the near-field special functions.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    /// <summary>Euler's γ to double-double precision.</summary>
    public static readonly DoubleDouble EulerGamma = new(0.5772156649015329, -4.942915152430645e-18);

    public static implicit operator DoubleDouble(double value) => new(value, 0.0);

    public double Value => Hi + Lo;

    public static DoubleDouble operator +(DoubleDouble x, DoubleDouble y)
    {
        var (s, e) = TwoSum(x.Hi, y.Hi);
        e += x.Lo + y.Lo;
        return Normalise(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble x) => new(-x.Hi, -x.Lo);

    public static DoubleDouble operator -(DoubleDouble x, DoubleDouble y) => x + -y;

    public static DoubleDouble operator *(DoubleDouble x, DoubleDouble y)
    {
        double p = x.Hi * y.Hi;
        double e = Math.FusedMultiplyAdd(x.Hi, y.Hi, -p) + (x.Hi * y.Lo + x.Lo * y.Hi);
        return Normalise(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble x, DoubleDouble y)
    {
        // Three correction steps of long division.
        double q1 = x.Hi / y.Hi;
        var r = x - y * q1;
        double q2 = r.Hi / y.Hi;
        r -= y * q2;
        double q3 = r.Hi / y.Hi;
        return Normalise(q1, q2) + q3;
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble Normalise(double hi, double lo)
    {
        double s = hi + lo;
        return new DoubleDouble(s, lo - (s - hi));
    }
}

/// <summary>Extended-precision references built on <see cref="DoubleDouble"/>.</summary>
internal static class ExtendedReference
{
    /// <summary>(−1)^{k+1}/(k·k!) in double-double, k = 1 … 40.</summary>
    private static readonly DoubleDouble[] EinCoefficients = BuildEinCoefficients();

    /// <summary>Ein(t) = Σ_{k≥1} (−1)^{k+1} t^k/(k·k!) for 0 ≤ t ≤ 2, truncated below 1e-34.</summary>
    public static DoubleDouble Ein(DoubleDouble t)
    {
        // Terms needed: the first k with t^k/(k·k!) < 1e-34.
        int terms = 1;
        for (double magnitude = t.Hi; terms < EinCoefficients.Length && magnitude > 1e-34; terms++)
        {
            magnitude *= t.Hi / (terms + 1);
        }
        DoubleDouble sum = EinCoefficients[terms - 1];
        for (int k = terms - 2; k >= 0; k--)
        {
            sum = sum * t + EinCoefficients[k];
        }
        return sum * t;
    }

    private static DoubleDouble[] BuildEinCoefficients()
    {
        var c = new DoubleDouble[40];
        DoubleDouble factorial = 1.0;
        for (int k = 1; k <= c.Length; k++)
        {
            factorial *= k;
            c[k - 1] = (DoubleDouble)(k % 2 == 1 ? 1.0 : -1.0) / (factorial * k);
        }
        return c;
    }

    /// <summary>
    /// E1(t) to ≈ 2e-16 relative: for t ≤ 1, −γ − ln t + Ein(t) (ln t in double, the only rounding); above, e^{−t}
    /// (Math.Exp, &lt; 1 ulp) times the continued fraction 1/(t + 1 − 1²/(t + 3 − 2²/(t + 5 − …))) evaluated
    /// backwards in double-double at a depth that converges to 1e-30.
    /// </summary>
    public static double E1(double t)
    {
        if (t <= 1.0)
        {
            return (Ein(t) - DoubleDouble.EulerGamma - Math.Log(t)).Value;
        }
        int depth = 20 + (int)(160 / t);
        DoubleDouble f = t + (2 * depth + 1);
        for (int k = depth; k >= 1; k--)
        {
            f = (DoubleDouble)(t + (2 * k - 1)) - (DoubleDouble)((double)k * k) / f;
        }
        return Math.Exp(-t) / f.Value;
    }
}
