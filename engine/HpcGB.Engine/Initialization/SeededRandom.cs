namespace HpcGB.Engine.Initialization;

/// <summary>
/// The engine's one pseudo-random generator: xoshiro256** (Blackman–Vigna 2018) seeded through SplitMix64.
/// The algorithm is fixed here on purpose: a spec's seed must reproduce the same particles on every .NET
/// version, and <see cref="Random"/> does not promise that. Not thread-safe; not for cryptography.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four state words with four consecutive SplitMix64 outputs (never all zero).</summary>
    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private SeededRandom(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>A generator with the given raw state (for checking against the reference implementation).</summary>
    internal static SeededRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3) => new(s0, s1, s2, s3);

    /// <summary>One SplitMix64 step (Steele, Lea, Flood 2014): advances <paramref name="state"/> and returns the output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits (every value a multiple of 2^−53).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextDouble(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong m = (ulong)bound;
        ulong high = Math.BigMul(NextUInt64(), m, out ulong low);
        if (low < m)
        {
            // Reject the few low words that would over-represent some results.
            ulong threshold = (0UL - m) % m;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), m, out low);
            }
        }
        return (int)high;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
