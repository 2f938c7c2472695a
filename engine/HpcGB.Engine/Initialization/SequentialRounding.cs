namespace HpcGB.Engine.Initialization;

/// <summary>
/// Integer counts for many cells by carrying the rounding error from cell to cell along a path, as in the
/// proof of the paper's Lemma 2.4 ("move at most 1/n mass to the next neighbouring cell"): with the
/// cumulative share C_k = total·(w_1 + … + w_k)/Σw and a seeded offset u ∈ [0, 1), cell k gets
/// ⌊C_k + u⌋ − ⌊C_{k−1} + u⌋. So every cell gets ⌊share⌋ or ⌈share⌉, the counts add up to the total exactly,
/// and every run of consecutive cells along the path is within ±1 of its share. Plain largest remainder
/// has the first two properties but not the third: on a grid finer than the particle spacing (shares &lt; 1)
/// it would fill the slightly denser region's cells first and leave the rest empty.
/// </summary>
internal static class SequentialRounding
{
    /// <summary>Counts for <paramref name="weights"/> visited in the order <paramref name="path"/> (all indices once).</summary>
    public static int[] Allot(ReadOnlySpan<double> weights, ReadOnlySpan<int> path, int total, SeededRandom random)
    {
        var counts = new int[weights.Length];
        double sum = 0;
        foreach (int cell in path)
        {
            double w = weights[cell];
            if (!(w >= 0 && double.IsFinite(w)))
            {
                throw new ArgumentException($"weights must be finite and non-negative, got {w}", nameof(weights));
            }
            sum += w;
        }
        if (total == 0)
        {
            return counts;
        }
        if (!(sum > 0 && double.IsFinite(sum)))
        {
            throw new ArgumentException("weights must have a positive finite sum", nameof(weights));
        }

        double offset = random.NextDouble();
        double cumulative = 0;
        long placed = 0;
        for (int k = 0; k < path.Length; k++)
        {
            int cell = path[k];
            cumulative += weights[cell];
            // The same summation order as `sum`, so the ratio reaches exactly 1 at the end; the last cell
            // takes the remainder anyway, so rounding cannot lose or add a particle.
            long reached = k == path.Length - 1 ? total : Math.Min(total, (long)Math.Floor(total * (cumulative / sum) + offset));
            counts[cell] = (int)(reached - placed);
            placed = reached;
        }
        return counts;
    }

    /// <summary>The boustrophedon path through a rows × columns grid (row-major indices): along row 0, back
    /// along row 1, …, so consecutive cells are always neighbours. 1D: rows = 1.</summary>
    public static int[] Serpentine(int rows, int columns)
    {
        var path = new int[checked(rows * columns)];
        int k = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int column = r % 2 == 0 ? c : columns - 1 - c;
                path[k++] = r * columns + column;
            }
        }
        return path;
    }
}
