using System.Numerics;
using HpcGB.Interop.Fftw;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>The band-limited 2D FFT against the whole one (<see cref="RealFft"/>) with the columns from C on zeroed.</summary>
public sealed class BandLimitedFftTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData(64, 16, 1)]
    [InlineData(64, 32, 2)]
    [InlineData(70, 32, 3)]
    [InlineData(96, 48, 2)]
    public void MatchesTheWholeTransformOnTheKeptColumns(int m, int columns, int parts)
    {
        int half = m / 2 + 1;
        using var whole = new RealFft([m, m]);
        using var band = new BandLimitedFft(m, columns, parts);
        using var real = whole.AllocateReal();
        using var expected = whole.AllocateSpectrum();
        using var spectrum = whole.AllocateSpectrum();
        TestData.RandomReal(m * m, seed: m + columns).CopyTo(real.Span);

        // Forward: the kept columns as the whole transform's, the others zero.
        whole.Forward(real, expected);
        for (int row = 0; row < m; row++)
        {
            expected.Span.Slice(row * half + columns, half - columns).Clear();
        }
        for (int t = 0; t < parts; t++)
        {
            band.ForwardRows(t, real, spectrum);
        }
        for (int t = 0; t < parts; t++)
        {
            var (start, end) = band.ColumnRange(t);
            band.TransformColumns(start, end, spectrum, forward: true);
        }
        Assert.True(TestData.RelativeMaxError(spectrum.Span, expected.Span) < Tolerance);

        // Inverse of that band-limited spectrum: the whole inverse's.
        using var wholeInverse = whole.AllocateReal();
        using var bandInverse = whole.AllocateReal();
        whole.Inverse(expected, wholeInverse);
        for (int t = 0; t < parts; t++)
        {
            var (start, end) = band.ColumnRange(t);
            band.TransformColumns(start, end, spectrum, forward: false);
        }
        for (int t = 0; t < parts; t++)
        {
            band.InverseRowsDestroyingInput(t, spectrum, bandInverse);
        }
        Assert.True(TestData.RelativeMaxError(bandInverse.Span, wholeInverse.Span) < Tolerance);
    }

    [Fact]
    public void PartsCoverTheRowsAndTheColumnBlocksOnce()
    {
        using var band = new BandLimitedFft(70, 32, 3);
        Assert.Equal(Enumerable.Range(0, 70), Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(band.RowRange(t).Start, band.RowRange(t).End - band.RowRange(t).Start)));
        Assert.Equal(Enumerable.Range(0, 32), Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(band.ColumnRange(t).Start, band.ColumnRange(t).End - band.ColumnRange(t).Start)));
    }

    [Theory]
    [InlineData(63, 16, 1)] // odd mesh
    [InlineData(64, 20, 1)] // not whole blocks
    [InlineData(64, 48, 1)] // the whole half spectrum (33 columns) or more
    [InlineData(64, 16, 0)]
    public void RejectsWhatItCannotTransform(int m, int columns, int parts)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandLimitedFft(m, columns, parts));
    }
}
