using System.Numerics;
using System.Runtime.CompilerServices;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// Exact periodic 2D kernels as sums of "walls" (docs/numerics.md §3): each wall is the closed-form sum over all
/// x2-images of one column s_n = x1 + n, n = −N … N, with ρ_n = e^{−2π|s_n|}, Y = 2πx2 and
/// den_n = (1 − ρ_n)² + 4ρ_n sin²(Y/2). Inputs are reduced to [−½, ½]² first.
/// Two forms: the plain (singular) sums, and "regular" ones in which the column n = 0 is written as the
/// free-space kernel plus a smooth remainder (coth and sinh of u = π(x1 + i x2)); the regular forms stay
/// accurate where a Gaussian core cancels the singularity.
/// </summary>
internal static class WallSums
{
    /// <summary>Columns n = −N … N; the omitted ones are below e^{−2π(N+½)} ≈ 3e-21.</summary>
    private const int Columns = 7;

    private static readonly double StepDecay = Math.Exp(-2 * Math.PI);

    /// <summary>A difference reduced to [−½, ½]².</summary>
    public readonly record struct Reduced(double X1, double X2)
    {
        public double R2 => X1 * X1 + X2 * X2;

        public Complex U => new(Math.PI * X1, Math.PI * X2);
    }

    public static Reduced Reduce(double dx, double dy) =>
        new(dx - Math.Round(dx, MidpointRounding.ToEven), dy - Math.Round(dy, MidpointRounding.ToEven));

    /// <summary>Log kernel V(x) = π(x1² − |x1| + 1/6) − ½ Σ_n ln den_n.</summary>
    public static double LogPotential(Reduced x)
    {
        double sinHalf2 = SinHalf2(x);
        var centre = CentreColumn(x, sinHalf2);
        return Math.PI * (x.X1 * x.X1 - Math.Abs(x.X1) + 1.0 / 6.0) - 0.5 * Math.Log(centre.Den) - 0.5 * OuterLogSum(x, sinHalf2);
    }

    /// <summary>Log kernel ∇V: ∂1 = 2πx1 − π sgn x1 − 2π Σ sgn(s_n) ρ_n (cos Y − ρ_n)/den_n, ∂2 = −2π Σ ρ_n sin Y/den_n.</summary>
    public static (double G1, double G2) LogGradient(Reduced x)
    {
        var (sinY, cosY) = Math.SinCos(2 * Math.PI * x.X2);
        double sinHalf2 = SinHalf2(x);
        var c = CentreColumn(x, sinHalf2);
        double sign = Math.Sign(x.X1);
        double g1 = 2 * Math.PI * x.X1 - Math.PI * sign - 2 * Math.PI * sign * c.Rho * c.CosYMinusRho / c.Den;
        double g2 = -2 * Math.PI * c.Rho * sinY / c.Den;
        var (o1, o2) = OuterLogGradient(x, sinHalf2, sinY, cosY);
        return (g1 + o1, g2 + o2);
    }

    /// <summary>Log kernel: V(x) + ln|x| (smooth; equals C_iso at 0).</summary>
    public static double LogRegularPotential(Reduced x)
    {
        // Column 0 is −ln|2 sinh πz| = −ln|z| − ln 2π − ln|sinh u/u|; the −π|x1| of the polynomial belongs to it.
        return Math.PI * (x.X1 * x.X1 + 1.0 / 6.0) - Math.Log(2 * Math.PI) - ColumnFunctions.LogSinhc(x.U)
            - 0.5 * OuterLogSum(x, SinHalf2(x));
    }

    /// <summary>Log kernel: ∇V(x) + x/|x|² (smooth).</summary>
    public static (double G1, double G2) LogRegularGradient(Reduced x)
    {
        // Column 0: ∇(−ln|2 sinh πz|) = −conj(π coth πz); minus the free part −conj(1/z) leaves −π conj(coth u − 1/u).
        Complex c = ColumnFunctions.CothRegular(x.U);
        var (sinY, cosY) = Math.SinCos(2 * Math.PI * x.X2);
        var (o1, o2) = OuterLogGradient(x, SinHalf2(x), sinY, cosY);
        return (2 * Math.PI * x.X1 - Math.PI * c.Real + o1, Math.PI * c.Imaginary + o2);
    }

    /// <summary>Edge kernel V(x) = ½ Σ_n [−ln den_n + 2X_n ρ_n (cos Y − ρ_n)/den_n], X_n = 2π|s_n|.</summary>
    public static double EdgePotential(Reduced x)
    {
        double cosY = Math.Cos(2 * Math.PI * x.X2);
        double sinHalf2 = SinHalf2(x);
        var c = CentreColumn(x, sinHalf2);
        double big0 = 2 * Math.PI * Math.Abs(x.X1);
        return 0.5 * (-Math.Log(c.Den) + 2 * big0 * c.Rho * c.CosYMinusRho / c.Den) + OuterEdgeSum(x, sinHalf2, cosY);
    }

    /// <summary>Edge kernel ∇V (∂1 in the Hirth–Lothe tilt-wall form).</summary>
    public static (double G1, double G2) EdgeGradient(Reduced x)
    {
        var (sinY, cosY) = Math.SinCos(2 * Math.PI * x.X2);
        double sinHalf2 = SinHalf2(x);
        var c = CentreColumn(x, sinHalf2);
        double big0 = 2 * Math.PI * Math.Abs(x.X1);
        // (1 + ρ²) cos Y − 2ρ = (1 − ρ)² − 2(1 + ρ²) sin²(Y/2), without cancellation near the origin.
        double tilt = c.OneMinusRho * c.OneMinusRho - 2 * (1 + c.Rho * c.Rho) * c.SinHalf2;
        double g1 = -4 * Math.PI * Math.PI * x.X1 * c.Rho * tilt / (c.Den * c.Den);
        double g2 = EdgeWallDy(big0, c.Rho, c.CosYMinusRho, sinY, c.Den);
        var (o1, o2) = OuterEdgeGradient(x, sinHalf2, sinY, cosY);
        return (g1 + o1, g2 + o2);
    }

    /// <summary>Edge kernel: V(x) − (−ln|x| + x1²/|x|²) (smooth; equals C_edge at 0).</summary>
    public static double EdgeRegularPotential(Reduced x)
    {
        // Column 0 is (x1 ∂1 − 1) ln|2 sinh πz| = −ln|2 sinh πz| + x1 Re(π coth πz).
        Complex c = ColumnFunctions.CothRegular(x.U);
        double cosY = Math.Cos(2 * Math.PI * x.X2);
        return -Math.Log(2 * Math.PI) - ColumnFunctions.LogSinhc(x.U) + x.X1 * Math.PI * c.Real + OuterEdgeSum(x, SinHalf2(x), cosY);
    }

    /// <summary>Edge kernel: ∇V(x) − ∇(−ln|x| + x1²/|x|²) (smooth).</summary>
    public static (double G1, double G2) EdgeRegularGradient(Reduced x)
    {
        // ∇ of column 0 = −conj(f) + (Re f, 0) + x1 conj(f'), f = π coth πz; the free part is the same with f = 1/z.
        Complex u = x.U;
        Complex f = Math.PI * ColumnFunctions.CothRegular(u);
        Complex df = Math.PI * Math.PI * ColumnFunctions.CothRegularDerivative(u);
        var (sinY, cosY) = Math.SinCos(2 * Math.PI * x.X2);
        var (o1, o2) = OuterEdgeGradient(x, SinHalf2(x), sinY, cosY);
        return (x.X1 * df.Real + o1, f.Imaginary - x.X1 * df.Imaginary + o2);
    }

    /// <summary>Column 0 quantities, each without cancellation for tiny |x| (1 − ρ_0 from expm1).</summary>
    private readonly record struct Centre(double Rho, double OneMinusRho, double SinHalf2)
    {
        public double Den => OneMinusRho * OneMinusRho + 4 * Rho * SinHalf2;

        /// <summary>cos Y − ρ = (1 − ρ) − 2 sin²(Y/2).</summary>
        public double CosYMinusRho => OneMinusRho - 2 * SinHalf2;
    }

    private static Centre CentreColumn(Reduced x, double sinHalf2)
    {
        double big = 2 * Math.PI * Math.Abs(x.X1);
        return new Centre(Math.Exp(-big), -SpecialMath.ExpM1(-big), sinHalf2);
    }

    /// <summary>sin²(Y/2), shared by all columns: computed once per call (the JIT need not merge the sines).</summary>
    private static double SinHalf2(Reduced x)
    {
        double sinHalf = Math.Sin(Math.PI * x.X2);
        return sinHalf * sinHalf;
    }

    private static double OuterLogSum(Reduced x, double sinHalf2)
    {
        double sum = 0;
        foreach (var (_, rho, den) in OuterColumns(x, sinHalf2))
        {
            sum += Math.Log(den);
        }
        return sum;
    }

    private static (double, double) OuterLogGradient(Reduced x, double sinHalf2, double sinY, double cosY)
    {
        double g1 = 0, g2 = 0;
        foreach (var (s, rho, den) in OuterColumns(x, sinHalf2))
        {
            g1 -= 2 * Math.PI * Math.CopySign(1.0, s) * rho * (cosY - rho) / den;
            g2 -= 2 * Math.PI * rho * sinY / den;
        }
        return (g1, g2);
    }

    private static double OuterEdgeSum(Reduced x, double sinHalf2, double cosY)
    {
        double v = 0;
        foreach (var (s, rho, den) in OuterColumns(x, sinHalf2))
        {
            v += 0.5 * (-Math.Log(den) + 2 * (2 * Math.PI * Math.Abs(s)) * rho * (cosY - rho) / den);
        }
        return v;
    }

    private static (double, double) OuterEdgeGradient(Reduced x, double sinHalf2, double sinY, double cosY)
    {
        double g1 = 0, g2 = 0;
        foreach (var (s, rho, den) in OuterColumns(x, sinHalf2))
        {
            g1 -= 4 * Math.PI * Math.PI * s * rho * ((1 + rho * rho) * cosY - 2 * rho) / (den * den);
            g2 += EdgeWallDy(2 * Math.PI * Math.Abs(s), rho, cosY - rho, sinY, den);
        }
        return (g1, g2);
    }

    /// <summary>
    /// The columns n ≠ 0 as (s_n, ρ_n, den_n); ρ_n from two exponentials times powers of e^{−2π}, and since
    /// ρ_n ≤ e^{−π} there, 1 − ρ_n has no cancellation.
    /// </summary>
    private static OuterColumnSet OuterColumns(Reduced x, double sinHalf2) => new(x, sinHalf2);

    private readonly struct OuterColumnSet(Reduced x, double sinHalf2)
    {
        public Enumerator GetEnumerator() => new(x, sinHalf2);

        public struct Enumerator(Reduced x, double sinHalf2)
        {
            private readonly double _sin2 = 4 * sinHalf2;
            private double _right = Math.Exp(-2 * Math.PI * x.X1);
            private double _left = Math.Exp(2 * Math.PI * x.X1);
            private int _step;

            public (double S, double Rho, double Den) Current { get; private set; }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public bool MoveNext()
            {
                if (_step >= 2 * Columns)
                {
                    return false;
                }
                int n = _step / 2 + 1;
                double rho;
                double s;
                if (_step % 2 == 0)
                {
                    _right *= StepDecay;
                    rho = _right;
                    s = x.X1 + n;
                }
                else
                {
                    _left *= StepDecay;
                    rho = _left;
                    s = x.X1 - n;
                }
                _step++;
                Current = (s, rho, (1 - rho) * (1 - rho) + rho * _sin2);
                return true;
            }
        }
    }

    /// <summary>∂/∂x2 of ½[−ln den + 2Xρ(cos Y − ρ)/den] with Y = 2πx2.</summary>
    private static double EdgeWallDy(double big, double rho, double cosYMinusRho, double sinY, double den)
    {
        // d den/dY = 2ρ sin Y; d/dY[(cos Y − ρ)/den] = (−sin Y·den − (cos Y − ρ)·2ρ sin Y)/den².
        double dLog = -rho * sinY / den;
        double dRatio = big * rho * (-sinY * den - cosYMinusRho * 2 * rho * sinY) / (den * den);
        return 2 * Math.PI * (dLog + dRatio);
    }
}
