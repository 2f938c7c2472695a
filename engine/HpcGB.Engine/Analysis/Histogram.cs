namespace HpcGB.Engine.Analysis;

/// <summary>
/// Counts of values in equal bins [Lower + k·w, Lower + (k+1)·w), k = 0 … bins − 1, w = (Upper − Lower)/bins; values
/// outside [Lower, Upper) are counted in <see cref="Below"/> and <see cref="Above"/>, never dropped.
/// </summary>
public sealed record Histogram(double Lower, double Upper, long[] Counts, long Below, long Above)
{
    /// <summary>Bins <paramref name="values"/> (finite) into <paramref name="bins"/> equal bins on [lower, upper).</summary>
    public static Histogram Of(IEnumerable<double> values, double lower, double upper, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!(upper > lower) || !double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw new ArgumentException($"the range [{lower}, {upper}) is empty or not finite", nameof(upper));
        }
        var counts = new long[bins];
        long below = 0, above = 0;
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"a value is not finite ({value})", nameof(values));
            }
            if (value < lower)
            {
                below++;
            }
            else if (value >= upper)
            {
                above++;
            }
            else
            {
                counts[Math.Min((int)((value - lower) / (upper - lower) * bins), bins - 1)]++;
            }
        }
        return new Histogram(lower, upper, counts, below, above);
    }

    /// <summary>Lower edge of bin k.</summary>
    public double Edge(int k) => Lower + (Upper - Lower) * k / Counts.Length;

    /// <summary>Every value counted, inside the range or not.</summary>
    public long Total => Counts.Sum() + Below + Above;
}
