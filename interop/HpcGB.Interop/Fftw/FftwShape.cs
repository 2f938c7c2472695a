namespace HpcGB.Interop.Fftw;

/// <summary>
/// The shape of a real transform: <c>[M]</c> (rank 1) or <c>[M1, M2]</c> (rank 2, row-major, M2 contiguous),
/// and the sizes that follow from it.
/// </summary>
internal readonly record struct FftwShape(int Rank, int N0, int N1)
{
    /// <summary>Validates <paramref name="shape"/>: one or two extents, each at least 1.</summary>
    /// <exception cref="ArgumentException">Not of length 1 or 2, an extent below 1, or too many points.</exception>
    internal static FftwShape From(ReadOnlySpan<int> shape)
    {
        if (shape.Length is not (1 or 2))
        {
            throw new ArgumentException(
                $"An FFT shape has one or two extents ([M] or [M1, M2]); got {shape.Length}.", nameof(shape));
        }
        foreach (int n in shape)
        {
            if (n < 1)
            {
                throw new ArgumentException(
                    $"Every FFT extent must be at least 1; got [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            }
        }
        var result = shape.Length == 1 ? new FftwShape(1, shape[0], 1) : new FftwShape(2, shape[0], shape[1]);
        if ((long)result.N0 * result.N1 > Array.MaxLength)
        {
            throw new ArgumentException($"The FFT shape {result} has too many points.", nameof(shape));
        }
        return result;
    }

    /// <summary>The real mesh's length: M, or M1·M2.</summary>
    internal int RealLength => N0 * N1;

    /// <summary>The half spectrum's length: M/2+1, or M1·(M2/2+1) row-major.</summary>
    internal int SpectrumLength => Rank == 1 ? N0 / 2 + 1 : N0 * (N1 / 2 + 1);

    /// <summary>The extents as an array.</summary>
    internal int[] ToArray() => Rank == 1 ? [N0] : [N0, N1];

    /// <summary>"M" or "M1xM2", as in every error message.</summary>
    public override string ToString() => Rank == 1 ? $"{N0}" : $"{N0}x{N1}";
}
