namespace HpcGB.Engine.Initialization;

/// <summary>
/// Places c points inside one axis-aligned cell by jittered stratification: the cell is cut into c strata of
/// (nearly) equal size and each point is seeded-uniform inside its own stratum. Compared with plain uniform
/// sampling this keeps the empirical measure within O(cell/c^{1/d}) of the cell's constant density (the
/// Lemma 2.4 bound needs only "somewhere in the cell"), and unlike a fixed sub-lattice a + and a − particle
/// of equal densities never sit on the same point.
/// </summary>
internal static class CellSampler
{
    /// <summary>Writes <paramref name="count"/> points of the cell [origin, origin + size) into
    /// <paramref name="positions"/>[axis][start …].</summary>
    public static void Place(
        int count, ReadOnlySpan<double> origin, ReadOnlySpan<double> size, double[][] positions, int start,
        SeededRandom random)
    {
        if (origin.Length == 1)
        {
            for (int j = 0; j < count; j++)
            {
                positions[0][start + j] = origin[0] + size[0] * (j + random.NextDouble()) / count;
            }
            return;
        }

        // 2D: q columns along x1 (about square strata for the cell's aspect ratio); column k holds
        // ⌊count/q⌋ or one more points, stacked along x2. The longer columns are spread evenly.
        int columns = (int)Math.Clamp(Math.Round(Math.Sqrt(count * size[0] / size[1])), 1, count);
        int perColumn = count / columns;
        int longer = count % columns;
        int p = start;
        for (int k = 0; k < columns; k++)
        {
            bool isLonger = (k + 1) * longer / columns > k * longer / columns;
            int rows = perColumn + (isLonger ? 1 : 0);
            for (int m = 0; m < rows; m++)
            {
                positions[0][p] = origin[0] + size[0] * (k + random.NextDouble()) / columns;
                positions[1][p] = origin[1] + size[1] * (m + random.NextDouble()) / rows;
                p++;
            }
        }
    }
}
