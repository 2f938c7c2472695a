using System.Numerics;
using HpcGB.Interop.OpenCl;
using HpcGB.Interop.OpenCl.VkFft;
using HpcGB.Interop.Tests.Fftw;
using HpcGB.Tests.Shared;

namespace HpcGB.Interop.Tests.OpenCl;

/// <summary>The device FFT (VkFFT through the shim) against the defining sum, on the mesh sizes PME uses (2^a 3^b 5^c).</summary>
public class ClRealFftTests
{
    [OpenClTheory]
    [InlineData(1, 30)]
    [InlineData(1, 250)]
    [InlineData(2, 12)]
    [InlineData(2, 40)]
    [InlineData(2, 90)]
    public void ForwardMatchesTheDefiningSumAndInverseReturnsMTimesTheInput(int dimensions, int mesh)
    {
        int points = dimensions == 2 ? mesh * mesh : mesh;
        double[] input = TestData.RandomReal(points, seed: mesh);
        Complex[] expected = dimensions == 2 ? NaiveDft.Forward2D(input, mesh, mesh) : NaiveDft.Forward1D(input);

        using var queue = ClContext.Shared(OpenClTestDevice.Device).CreateQueue();
        using var fft = new ClRealFft(queue, dimensions, mesh);
        queue.Write(fft.Real, input);
        fft.Forward();
        var pairs = new double[2 * expected.Length];
        queue.Read(fft.Spectrum, pairs.AsSpan());
        var spectrum = Enumerable.Range(0, expected.Length).Select(k => new Complex(pairs[2 * k], pairs[2 * k + 1])).ToArray();
        Assert.True(TestData.RelativeMaxError(spectrum, expected) < 1e-13, $"forward error {TestData.RelativeMaxError(spectrum, expected):E2}");

        fft.Inverse();
        var back = new double[points];
        queue.Read(fft.Real, back.AsSpan());
        var scaled = back.Select(v => v / points).ToArray();
        Assert.True(TestData.RelativeMaxError(scaled, input) < 1e-13, $"round-trip error {TestData.RelativeMaxError(scaled, input):E2}");
    }

    [OpenClFact]
    public void OddMeshesAreRefused()
    {
        using var queue = ClContext.Shared(OpenClTestDevice.Device).CreateQueue();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClRealFft(queue, 2, 15));
    }
}
