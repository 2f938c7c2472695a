using System.Numerics;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>
/// The reference: the half spectrum of a real mesh by the defining O(N²) sum, X[k] = Σⱼ x[j] e^(−2πi jk/N), with
/// the phase index jk reduced mod N so every twiddle is exact to rounding.
/// </summary>
internal static class NaiveDft
{
    /// <summary>X[k] for k = 0 … M/2.</summary>
    public static Complex[] Forward1D(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        var twiddle = Twiddles(n);
        var result = new Complex[n / 2 + 1];
        for (int k = 0; k < result.Length; k++)
        {
            Complex sum = Complex.Zero;
            for (int j = 0; j < n; j++)
            {
                sum += x[j] * twiddle[(int)((long)j * k % n)];
            }
            result[k] = sum;
        }
        return result;
    }

    /// <summary>X[k1, k2] for k1 = 0 … M1−1, k2 = 0 … M2/2, row-major; x is row-major M1×M2.</summary>
    public static Complex[] Forward2D(ReadOnlySpan<double> x, int n1, int n2)
    {
        var twiddle1 = Twiddles(n1);
        var twiddle2 = Twiddles(n2);
        int half = n2 / 2 + 1;
        var result = new Complex[n1 * half];
        for (int k1 = 0; k1 < n1; k1++)
        {
            for (int k2 = 0; k2 < half; k2++)
            {
                Complex sum = Complex.Zero;
                for (int j1 = 0; j1 < n1; j1++)
                {
                    Complex row = twiddle1[j1 * k1 % n1];
                    for (int j2 = 0; j2 < n2; j2++)
                    {
                        sum += x[j1 * n2 + j2] * (row * twiddle2[j2 * k2 % n2]);
                    }
                }
                result[k1 * half + k2] = sum;
            }
        }
        return result;
    }

    /// <summary>e^(−2πi m/n) for m = 0 … n−1.</summary>
    private static Complex[] Twiddles(int n)
    {
        var twiddle = new Complex[n];
        for (int m = 0; m < n; m++)
        {
            (double sin, double cos) = Math.SinCos(-2.0 * Math.PI * m / n);
            twiddle[m] = new Complex(cos, sin);
        }
        return twiddle;
    }
}
