using System.Numerics;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>Seeded random meshes and the error measures the FFTW tests compare with.</summary>
internal static class TestData
{
    /// <summary>Values uniform in [−1, 1), the same for the same seed.</summary>
    public static double[] RandomReal(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = 2.0 * random.NextDouble() - 1.0;
        }
        return values;
    }

    /// <summary>max |actual − expected| / max |expected| (absolute when expected is all zero).</summary>
    public static double RelativeMaxError(ReadOnlySpan<Complex> actual, ReadOnlySpan<Complex> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double error = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Complex.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Complex.Abs(expected[i]));
        }
        return scale == 0 ? error : error / scale;
    }

    /// <summary>max |actual − expected| / max |expected| (absolute when expected is all zero).</summary>
    public static double RelativeMaxError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double error = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return scale == 0 ? error : error / scale;
    }
}
