using HpcGB.Engine.Initialization;
using HpcGB.Engine.Analysis.Transport;

namespace HpcGB.Engine.Tests.Analysis.Transport;

/// <summary>Point sets and the brute-force references the transport tests compare with.</summary>
internal static class TransportFixtures
{
    /// <summary>n points per axis, uniform on [−2, 3) (unwrapped) or, when clustered, in few tight groups near the wall.</summary>
    public static double[][] RandomPoints(int dimension, int n, ulong seed, bool clustered = false)
    {
        var random = new SeededRandom(seed);
        var points = new double[dimension][];
        for (int a = 0; a < dimension; a++)
        {
            points[a] = new double[n];
            for (int i = 0; i < n; i++)
            {
                points[a][i] = clustered
                    ? 0.99 + 0.2 * random.NextInt(3) / 3 + random.NextDouble(-0.005, 0.005)
                    : random.NextDouble() + random.NextInt(5) - 2;
            }
        }
        return points;
    }

    /// <summary>min over all permutations σ of (1/n) Σ_i |x_i − y_σ(i)|²_T (n ≤ 8).</summary>
    public static double BruteForceSquared(double[][] x, double[][] y)
    {
        int n = x[0].Length;
        var permutation = Enumerable.Range(0, n).ToArray();
        double best = double.PositiveInfinity;
        do
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += TorusPoints.Distance2(x, i, y, permutation[i]);
            }
            best = Math.Min(best, sum / n);
        }
        while (NextPermutation(permutation));
        return best;
    }

    /// <summary>The squared-distance matrix, row-major.</summary>
    public static double[] CostMatrix(double[][] x, double[][] y)
    {
        int n = x[0].Length;
        var cost = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                cost[i * n + j] = TorusPoints.Distance2(x, i, y, j);
            }
        }
        return cost;
    }

    public static double[][] Shifted(double[][] points, params double[] shift) =>
        points.Select((axis, a) => axis.Select(v => v + shift[a]).ToArray()).ToArray();

    /// <summary>Lexicographic next permutation; false after the last one.</summary>
    public static bool NextPermutation(int[] p)
    {
        int i = p.Length - 2;
        while (i >= 0 && p[i] >= p[i + 1])
        {
            i--;
        }
        if (i < 0)
        {
            return false;
        }
        int j = p.Length - 1;
        while (p[j] <= p[i])
        {
            j--;
        }
        (p[i], p[j]) = (p[j], p[i]);
        Array.Reverse(p, i + 1, p.Length - i - 1);
        return true;
    }
}
