namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Exact W₂ on the torus between two empirical measures with the same number n of points: with uniform weights an
/// optimal plan is a permutation (Birkhoff), so W₂² = min_σ (1/n) Σ_i |x_i − y_σ(i)|²_T, solved by
/// <see cref="AssignmentSolver"/> on the matrix of squared nearest-image distances. O(n³) time, 8n² bytes.
/// </summary>
public static class TorusAssignment
{
    /// <summary>Largest n accepted (the cost matrix takes 8n² bytes: 800 MB here).</summary>
    public const int MaxCount = 10_000;

    /// <summary>W₂ between the point sets <c>x[axis][i]</c> and <c>y[axis][i]</c> (positions may be unwrapped).</summary>
    /// <exception cref="ArgumentException">Different counts or dimensions, more than <see cref="MaxCount"/> points, or a non-finite position.</exception>
    public static W2Result Between(double[][] x, double[][] y)
    {
        var xs = TorusPoints.Wrapped(x, nameof(x));
        var ys = TorusPoints.Wrapped(y, nameof(y));
        TorusPoints.RequireSameDimension(xs, ys);
        int n = xs[0].Length;
        if (ys[0].Length != n)
        {
            throw new ArgumentException($"the two measures need the same number of points ({n} and {ys[0].Length})", nameof(y));
        }
        if (n > MaxCount)
        {
            throw new ArgumentException($"{n} points exceed the assignment limit {MaxCount}; use Sinkhorn", nameof(x));
        }
        if (n == 0)
        {
            return new W2Result(0, TransportMethod.Assignment);
        }
        var cost = new double[n * n];
        Parallel.For(0, n, i => TorusPoints.Distance2Row(xs, i, ys, cost.AsSpan(i * n, n)));
        int[] match = AssignmentSolver.Solve(cost, n);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += cost[i * n + match[i]];
        }
        return new W2Result(Math.Sqrt(sum / n), TransportMethod.Assignment);
    }
}
