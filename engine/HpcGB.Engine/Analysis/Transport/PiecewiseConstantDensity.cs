namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// A density on the unit circle, constant on each of m equal cells [j/m, (j+1)/m) — a finite-volume state.
/// The values may carry any total mass: the distance uses the normalised probability density ρ_j / (Σ ρ / m).
/// </summary>
public sealed class PiecewiseConstantDensity
{
    private readonly double[] _cumulative;

    /// <param name="values">ρ_j ≥ 0 per cell, finite, with a positive sum.</param>
    /// <exception cref="ArgumentException">No cells, a negative or non-finite value, or zero mass.</exception>
    public PiecewiseConstantDensity(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("the density needs at least one cell", nameof(values));
        }
        double total = 0;
        for (int j = 0; j < values.Length; j++)
        {
            if (!double.IsFinite(values[j]) || values[j] < 0)
            {
                throw new ArgumentException($"values[{j}] = {values[j]}: a density must be finite and non-negative", nameof(values));
            }
            total += values[j];
        }
        if (total <= 0)
        {
            throw new ArgumentException("the density has zero mass", nameof(values));
        }
        Cells = values.Length;
        // Cumulative masses c_0 = 0 … c_m = 1 of the normalised density.
        _cumulative = new double[Cells + 1];
        double running = 0;
        for (int j = 0; j < Cells; j++)
        {
            running += values[j];
            _cumulative[j + 1] = running / total;
        }
        _cumulative[Cells] = 1;
    }

    /// <summary>Number of cells m.</summary>
    public int Cells { get; }

    /// <summary>Mass of [0, j/m] of the normalised density, j = 0 … m (c_0 = 0, c_m = 1).</summary>
    public double CumulativeAt(int j) => _cumulative[j];

    /// <summary>The uniform density (one cell).</summary>
    public static PiecewiseConstantDensity Uniform { get; } = new([1.0]);
}
