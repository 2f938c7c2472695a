using System.Numerics;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// Exact periodic 2D kernels as sums of "walls" (NUMERICS.md §3): each wall is the closed-form sum over all
/// x2-images of one column x1 + n, n = −N … N. The column n = 0 holds the singularity; it is written as the
/// free-space kernel plus a smooth remainder (via coth and sinh of u = π(x1 + i x2)), so that the remainder
/// is accurate for arbitrarily small |x|. Inputs are reduced to [−½, ½]² first.
/// </summary>
internal static class WallSums
{
    /// <summary>Columns n = −N … N; the omitted ones are below e^{−2π(N+½)} ≈ 3e-21.</summary>
    private const int Columns = 7;

    /// <summary>Reduced difference and its square length.</summary>
    public readonly record struct Reduced(double X1, double X2)
    {
        public double R2 => X1 * X1 + X2 * X2;

        public Complex U => new(Math.PI * X1, Math.PI * X2);
    }

    public static Reduced Reduce(double dx, double dy) =>
        new(dx - Math.Round(dx, MidpointRounding.ToEven), dy - Math.Round(dy, MidpointRounding.ToEven));

    /// <summary>Log kernel: V(x) + ln|x| (smooth; equals C_iso at 0).</summary>
    public static double LogRegularPotential(Reduced x)
    {
        // V = π(x1² − |x1| + 1/6) − ½ Σ_n ln den_n; column 0 is −ln|2 sinh πz| = −ln|z| − ln 2π − ln|sinh u/u|.
        double v = Math.PI * (x.X1 * x.X1 + 1.0 / 6.0) - Math.Log(2 * Math.PI) - ColumnFunctions.LogSinhc(x.U);
        double y = 2 * Math.PI * x.X2;
        double sinHalf = Math.Sin(y / 2);
        for (int n = -Columns; n <= Columns; n++)
        {
            if (n != 0)
            {
                v -= 0.5 * Math.Log(Den(x.X1 + n, sinHalf));
            }
        }
        return v;
    }

    /// <summary>Log kernel: ∇V(x) + x/|x|² (smooth).</summary>
    public static (double G1, double G2) LogRegularGradient(Reduced x)
    {
        // Column 0: ∇(−ln|2 sinh πz|) = −conj(π coth πz); minus the free part −conj(1/z) leaves −π conj(coth u − 1/u).
        Complex c = ColumnFunctions.CothRegular(x.U);
        double g1 = 2 * Math.PI * x.X1 - Math.PI * c.Real;
        double g2 = Math.PI * c.Imaginary;
        double y = 2 * Math.PI * x.X2;
        double cosY = Math.Cos(y), sinY = Math.Sin(y), sinHalf = Math.Sin(y / 2);
        for (int n = -Columns; n <= Columns; n++)
        {
            if (n == 0)
            {
                continue;
            }
            double s = x.X1 + n;
            double rho = Math.Exp(-2 * Math.PI * Math.Abs(s));
            double den = Den(s, sinHalf);
            g1 -= 2 * Math.PI * Math.Sign(s) * rho * (cosY - rho) / den;
            g2 -= 2 * Math.PI * rho * sinY / den;
        }
        return (g1, g2);
    }

    /// <summary>Edge kernel: V(x) − (−ln|x| + x1²/|x|²) (smooth; equals C_edge at 0).</summary>
    public static double EdgeRegularPotential(Reduced x)
    {
        // Column 0 is (x1 ∂1 − 1) ln|2 sinh πz| = −ln|2 sinh πz| + x1 Re(π coth πz).
        Complex c = ColumnFunctions.CothRegular(x.U);
        double v = -Math.Log(2 * Math.PI) - ColumnFunctions.LogSinhc(x.U) + x.X1 * Math.PI * c.Real;
        double y = 2 * Math.PI * x.X2;
        double cosY = Math.Cos(y), sinHalf = Math.Sin(y / 2);
        for (int n = -Columns; n <= Columns; n++)
        {
            if (n == 0)
            {
                continue;
            }
            double s = x.X1 + n;
            double big = 2 * Math.PI * Math.Abs(s);
            double rho = Math.Exp(-big);
            double den = Den(s, sinHalf);
            v += 0.5 * (-Math.Log(den) + 2 * big * rho * (cosY - rho) / den);
        }
        return v;
    }

    /// <summary>Edge kernel: ∇V(x) − ∇(−ln|x| + x1²/|x|²) (smooth).</summary>
    public static (double G1, double G2) EdgeRegularGradient(Reduced x)
    {
        // ∇ of column 0 = −conj(f) + (Re f, 0) + x1 conj(f'), f = π coth πz; subtract the same with f = 1/z.
        Complex u = x.U;
        Complex f = Math.PI * ColumnFunctions.CothRegular(u);
        Complex df = Math.PI * Math.PI * ColumnFunctions.CothRegularDerivative(u);
        double g1 = x.X1 * df.Real;
        double g2 = f.Imaginary - x.X1 * df.Imaginary;
        double y = 2 * Math.PI * x.X2;
        double cosY = Math.Cos(y), sinY = Math.Sin(y), sinHalf = Math.Sin(y / 2);
        for (int n = -Columns; n <= Columns; n++)
        {
            if (n == 0)
            {
                continue;
            }
            double s = x.X1 + n;
            double big = 2 * Math.PI * Math.Abs(s);
            double rho = Math.Exp(-big);
            double den = Den(s, sinHalf);
            // ∂1: the Hirth–Lothe tilt-wall form; ∂2 by differentiating the wall in Y.
            g1 -= 4 * Math.PI * Math.PI * s * rho * ((1 + rho * rho) * cosY - 2 * rho) / (den * den);
            g2 += EdgeWallDy(big, rho, cosY, sinY, den);
        }
        return (g1, g2);
    }

    /// <summary>∂/∂x2 of ½[−ln den + 2Xρ(cos Y − ρ)/den] with Y = 2πx2.</summary>
    private static double EdgeWallDy(double big, double rho, double cosY, double sinY, double den)
    {
        // d den/dY = 2ρ sin Y; d/dY[(cos Y − ρ)/den] = (−sin Y·den − (cos Y − ρ)·2ρ sin Y)/den².
        double dLog = -rho * sinY / den;
        double dRatio = big * rho * (-sinY * den - (cosY - rho) * 2 * rho * sinY) / (den * den);
        return 2 * Math.PI * (dLog + dRatio);
    }

    /// <summary>den = (1 − ρ)² + 4ρ sin²(Y/2), ρ = e^{−2π|s|}, with 1 − ρ from expm1 (no cancellation).</summary>
    private static double Den(double s, double sinHalf)
    {
        double big = 2 * Math.PI * Math.Abs(s);
        double oneMinusRho = -SpecialMath.ExpM1(-big);
        return oneMinusRho * oneMinusRho + 4 * Math.Exp(-big) * sinHalf * sinHalf;
    }
}
