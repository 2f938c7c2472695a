using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Exact W₂ on the unit circle between two empirical measures with the same number of points, each point of
/// mass 1/n (NUMERICS.md §6, Delon–Salomon–Sobolevski 2010). Both sets are wrapped into [0,1) and sorted; the
/// second is lifted cyclically, ỹ_j = y_(j mod n) + ⌊j/n⌋, and W₂² = min over integer shifts k of
/// C(k) = (1/n) Σ_i (x_(i) − ỹ_(i+k))², a convex function of k minimised by bisection: O(n log n) with the sort.
/// </summary>
public static class CircleW2
{
    /// <summary>W₂ between (1/n) Σ δ_{x_i} and (1/n) Σ δ_{y_i}; positions may be unwrapped.</summary>
    /// <exception cref="ArgumentException">The counts differ, or a position is not finite.</exception>
    public static W2Result Between(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException(
                $"the two measures need the same number of points ({x.Length} and {y.Length})", nameof(y));
        }
        if (x.Length == 0)
        {
            return new W2Result(0, TransportMethod.Circle);
        }
        double[] xs = SortedWrapped(x, nameof(x));
        double[] ys = SortedWrapped(y, nameof(y));
        return new W2Result(Math.Sqrt(Math.Max(0, MinimumSquared(xs, ys))), TransportMethod.Circle);
    }

    /// <summary>The positions wrapped into [0,1) and sorted ascending.</summary>
    internal static double[] SortedWrapped(ReadOnlySpan<double> positions, string name)
    {
        var sorted = new double[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            if (!double.IsFinite(positions[i]))
            {
                throw new ArgumentException($"{name}[{i}] is not finite ({positions[i]})", name);
            }
            sorted[i] = Torus.Wrap(positions[i]);
        }
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>min_k C(k) over k ∈ [−n, n] (the minimiser lies there: outside, every lifted difference has one sign).</summary>
    internal static double MinimumSquared(double[] xs, double[] ys)
    {
        int n = xs.Length;
        // Integer bisection on the convex sequence C(k): keep the minimiser in [lo, hi].
        int lo = -n, hi = n;
        while (hi - lo > 2)
        {
            int mid = lo + (hi - lo) / 2;
            if (ShiftCost(xs, ys, mid) <= ShiftCost(xs, ys, mid + 1))
            {
                hi = mid + 1;
            }
            else
            {
                lo = mid + 1;
            }
        }
        double best = double.PositiveInfinity;
        for (int k = lo; k <= hi; k++)
        {
            best = Math.Min(best, ShiftCost(xs, ys, k));
        }
        return best;
    }

    /// <summary>C(k) = (1/n) Σ_i (x_(i) − ỹ_(i+k))², the loop split where ⌊(i + k)/n⌋ changes (no modulo per point).</summary>
    internal static double ShiftCost(double[] xs, double[] ys, int k)
    {
        int n = xs.Length;
        double sum = 0;
        // i + k < 0: ỹ = y_(i+k+n) − 1; 0 ≤ i + k < n: ỹ = y_(i+k); i + k ≥ n: ỹ = y_(i+k−n) + 1.
        int firstInside = Math.Clamp(-k, 0, n);
        int firstAbove = Math.Clamp(n - k, 0, n);
        for (int i = 0; i < firstInside; i++)
        {
            double r = xs[i] - (ys[i + k + n] - 1);
            sum += r * r;
        }
        for (int i = firstInside; i < firstAbove; i++)
        {
            double r = xs[i] - ys[i + k];
            sum += r * r;
        }
        for (int i = firstAbove; i < n; i++)
        {
            double r = xs[i] - (ys[i + k - n] + 1);
            sum += r * r;
        }
        return sum / n;
    }
}
