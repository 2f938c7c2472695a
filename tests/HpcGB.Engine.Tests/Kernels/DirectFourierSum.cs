using System.Numerics;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Kernels;

/// <summary>V_δ and ∇V_δ at one point by the plain Fourier series Σ_k V̂_k e^{2πik·x} (test oracle).</summary>
internal static class DirectFourierSum
{
    public static (double V, double G1, double G2) At(int d, KernelType kernel, Regularization reg, double x1, double x2)
    {
        int k = FourierCoefficients.Cutoff(reg);
        var p1 = Powers(x1, k);
        var p2 = d == 2 ? Powers(x2, k) : null;
        double v = 0, g1 = 0, g2 = 0;
        int k2Max = d == 2 ? k : 0;
        // Half space; the conjugate half doubles the real part.
        for (int k1 = 0; k1 <= k; k1++)
        {
            double rowV = 0, rowG1 = 0, rowG2 = 0;
            for (int k2 = -k2Max; k2 <= k2Max; k2++)
            {
                if (k1 == 0 && k2 <= 0)
                {
                    continue;
                }
                double c = FourierCoefficients.Coefficient(d, kernel, reg, k1, k2);
                if (c == 0)
                {
                    continue;
                }
                Complex e = p1[k1];
                if (p2 is not null)
                {
                    e *= k2 >= 0 ? p2[k2] : Complex.Conjugate(p2[-k2]);
                }
                rowV += 2 * c * e.Real;
                // ∇ of 2c cos(2πk·x) = −4πc k sin(2πk·x)
                rowG1 -= 4 * Math.PI * c * k1 * e.Imaginary;
                rowG2 -= 4 * Math.PI * c * k2 * e.Imaginary;
            }
            v += rowV;
            g1 += rowG1;
            g2 += rowG2;
        }
        return (v, g1, g2);
    }

    private static Complex[] Powers(double x, int k)
    {
        var p = new Complex[k + 1];
        for (int m = 0; m <= k; m++)
        {
            var (s, c) = Math.SinCos(2 * Math.PI * m * x);
            p[m] = new Complex(c, s);
        }
        return p;
    }
}
