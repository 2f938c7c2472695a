using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Exact W₂ on the unit circle between two empirical measures (1/n) Σ δ_{x_i} and (1/m) Σ δ_{y_j}
/// (docs/numerics.md §6, Delon–Salomon–Sobolevski 2010). Both sets are wrapped into [0,1) and sorted; the second is lifted
/// cyclically, ỹ_j = y_(j mod m) + ⌊j/m⌋. Equal counts: W₂² = min over integer shifts k of
/// C(k) = (1/n) Σ_i (x_(i) − ỹ_(i+k))², a convex function of k minimised by bisection, O(n log n) with the sort.
/// Different counts: W₂² = min_θ ∫₀¹ (F⁻¹(t) − G̃⁻¹(t + θ))² dt over the two step quantiles, integrated exactly piece
/// by piece in O(n + m) and minimised by golden-section search (the cost is convex with kinks), as for a density in
/// <see cref="CircleDensityMatching"/>.
/// </summary>
public static class CircleW2
{
    /// <summary>W₂ between (1/n) Σ δ_{x_i} and (1/m) Σ δ_{y_j}; positions may be unwrapped.</summary>
    /// <exception cref="ArgumentException">One set is empty and the other not, or a position is not finite.</exception>
    public static W2Result Between(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length == 0 || y.Length == 0)
        {
            return x.Length == y.Length
                ? new W2Result(0, TransportMethod.Circle)
                : throw new ArgumentException(
                    $"one measure is empty ({x.Length} and {y.Length} points)", x.Length == 0 ? nameof(x) : nameof(y));
        }
        double[] xs = SortedWrapped(x, nameof(x));
        double[] ys = SortedWrapped(y, nameof(y));
        double squared = xs.Length == ys.Length
            ? MinimumSquared(xs, ys)
            : CircleDensityMatching.GoldenMinimum(theta => QuantileCost(xs, ys, theta), -1, 1);
        return new W2Result(Math.Sqrt(Math.Max(0, squared)), TransportMethod.Circle);
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

    /// <summary>
    /// ∫₀¹ (F⁻¹(t) − G̃⁻¹(t + θ))² dt for sorted <paramref name="xs"/> (n points) and <paramref name="ys"/> (m points):
    /// u = t + θ walks the lifted steps of G̃⁻¹ (step j on [j/m, (j+1)/m) has value y_(j mod m) + ⌊j/m⌋) while t walks
    /// the n steps of F⁻¹; every piece is a constant squared.
    /// </summary>
    internal static double QuantileCost(double[] xs, double[] ys, double theta)
    {
        int n = xs.Length, m = ys.Length;
        // The lifted step containing u = θ, as (period, index) so that stepping needs no division.
        long step = (long)Math.Floor(theta * m);
        while ((double)(step + 1) / m <= theta)
        {
            step++;
        }
        long period = step >= 0 ? step / m : -((-step + m - 1) / m);
        int index = (int)(step - period * m);
        double u = theta, sum = 0;
        for (int i = 0; i < n; i++)
        {
            double end = theta + (double)(i + 1) / n;
            double x = xs[i];
            while (true)
            {
                double stepEnd = (double)(period * m + index + 1) / m;
                double pieceEnd = Math.Min(end, stepEnd);
                double r = x - (ys[index] + period);
                sum += (pieceEnd - u) * r * r;
                u = pieceEnd;
                if (stepEnd >= end)
                {
                    break;
                }
                if (++index == m)
                {
                    index = 0;
                    period++;
                }
            }
        }
        return sum;
    }
}
