using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Exact W₂ on the unit circle between an empirical measure (1/n) Σ δ_{x_i} and a piecewise-constant density
/// (docs/numerics.md §6): W₂² = min_θ K(θ), K(θ) = ∫_0^1 (F⁻¹(t) − H(t + θ))² dt, with F⁻¹ the (step) quantile of the
/// sorted points and H the lifted quantile of the density (piecewise linear, H(t + 1) = H(t) + 1). On every piece
/// where F⁻¹ is constant and H linear the integrand is the square of a linear function, integrated exactly as
/// L(a² + ac + c²)/3 from its end values a, c: K(θ) costs O(n + m). K is convex in θ, and its minimiser lies in
/// (−1, 1) (outside, H(t + θ) − F⁻¹(t) has one sign), but it can sit at a kink (empty cells make H jump), so the
/// minimum is found by golden-section search, not Newton.
/// </summary>
public static class CircleDensityMatching
{
    // Golden-section steps from a bracket of width 2 to width 2·0.618^90 ≈ 3e-19 (below the spacing of doubles near
    // the minimiser, so the bracket stops shrinking first): the value is then exact to round-off.
    private const int GoldenSteps = 90;

    // Blocks of points summed in parallel once there are at least BlockThreshold points.
    private const int Blocks = 64;
    private const int BlockThreshold = 1 << 16;

    /// <summary>W₂ between (1/n) Σ δ_{x_i} (positions may be unwrapped) and the normalised density.</summary>
    /// <exception cref="ArgumentException">No points, or a position is not finite.</exception>
    public static W2Result Between(ReadOnlySpan<double> x, PiecewiseConstantDensity density)
    {
        ArgumentNullException.ThrowIfNull(density);
        if (x.Length == 0)
        {
            throw new ArgumentException("the empirical measure has no points", nameof(x));
        }
        double[] xs = CircleW2.SortedWrapped(x, nameof(x));
        var quantile = new LiftedQuantile(density);
        double squared = GoldenMinimum(theta => Cost(xs, quantile, theta), -1, 1);
        return new W2Result(Math.Sqrt(Math.Max(0, squared)), TransportMethod.CircleDensity);
    }

    /// <summary>
    /// K(θ) for the sorted points <paramref name="xs"/>: the points are cut into a fixed number of blocks (independent
    /// of the thread count, so the sum is the same on every machine), summed in parallel and added in block order.
    /// </summary>
    internal static double Cost(double[] xs, LiftedQuantile quantile, double theta)
    {
        int n = xs.Length;
        int blocks = n >= BlockThreshold ? Blocks : 1;
        var sums = new double[blocks];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks == 1 ? 1 : -1 }, b =>
            sums[b] = BlockCost(xs, quantile, theta, (int)((long)n * b / blocks), (int)((long)n * (b + 1) / blocks)));
        double sum = 0;
        foreach (double part in sums)
        {
            sum += part;
        }
        return sum;
    }

    /// <summary>The part of K(θ) from points <paramref name="first"/> … <paramref name="end"/> − 1.</summary>
    private static double BlockCost(double[] xs, LiftedQuantile quantile, double theta, int first, int end)
    {
        int n = xs.Length;
        double sum = 0;
        // Walk u = t + θ over the block's masses: a cursor over the lifted cells of H, one step of 1/n per point.
        double u = theta + (double)first / n;
        var cell = quantile.Start(u);
        double h = LiftedQuantile.Evaluate(cell, u);
        for (int i = first; i < end; i++)
        {
            double pointEnd = theta + (double)(i + 1) / n;
            double x = xs[i];
            while (true)
            {
                double pieceEnd = Math.Min(pointEnd, cell.Upper);
                double hEnd = LiftedQuantile.Evaluate(cell, pieceEnd);
                double a = x - h, c = x - hEnd;
                sum += (pieceEnd - u) * (a * a + a * c + c * c) / 3;
                u = pieceEnd;
                h = hEnd;
                if (cell.Upper >= pointEnd)
                {
                    break;
                }
                cell = quantile.Next(cell);
                h = LiftedQuantile.Evaluate(cell, u);
            }
        }
        return sum;
    }

    /// <summary>Minimum of a convex function on [a, b] by golden-section search (robust at kinks).</summary>
    internal static double GoldenMinimum(Func<double, double> f, double a, double b)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = f(c), fd = f(d);
        double best = Math.Min(Math.Min(fc, fd), Math.Min(f(a), f(b)));
        for (int step = 0; step < GoldenSteps && c < d; step++)
        {
            if (fc <= fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = f(c);
                best = Math.Min(best, fc);
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = f(d);
                best = Math.Min(best, fd);
            }
        }
        return best;
    }

    /// <summary>
    /// The quantile H of the normalised density, lifted to all real masses: lifted cell (period p, index j) spans
    /// masses [c_j + p, c_(j+1) + p] and positions [p + j/m, p + (j+1)/m]; H is linear on it. Cells of zero mass are
    /// skipped (H jumps over them). The cursor steps cell by cell without divisions.
    /// </summary>
    internal sealed class LiftedQuantile(PiecewiseConstantDensity density)
    {
        private readonly int _m = density.Cells;

        /// <summary>One lifted cell: its mass interval [Lower, Upper], its left end and width in position, 1/mass.</summary>
        public readonly record struct Cell(
            long Period, int Index, double Lower, double Upper, double Position, double Width, double InverseMass);

        /// <summary>The first non-empty lifted cell whose mass interval ends after <paramref name="mass"/>.</summary>
        public Cell Start(double mass)
        {
            double period = Math.Floor(mass);
            double fraction = mass - period;
            // Largest j with c_j ≤ fraction.
            int lo = 0, hi = _m - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >>> 1;
                if (density.CumulativeAt(mid) <= fraction)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            var cell = Make((long)period, lo);
            while (cell.Upper <= mass || cell.Upper <= cell.Lower)
            {
                cell = Next(cell);
            }
            return cell;
        }

        /// <summary>The next non-empty lifted cell.</summary>
        public Cell Next(Cell cell)
        {
            long period = cell.Period;
            int index = cell.Index;
            do
            {
                if (++index == _m)
                {
                    index = 0;
                    period++;
                }
                cell = Make(period, index);
            }
            while (cell.Upper <= cell.Lower);
            return cell;
        }

        /// <summary>H(mass) on <paramref name="cell"/> (the mass clamped into the cell against round-off).</summary>
        public static double Evaluate(Cell cell, double mass) =>
            cell.Position + Math.Clamp((mass - cell.Lower) * cell.InverseMass, 0, 1) * cell.Width;

        private Cell Make(long period, int index)
        {
            double lower = density.CumulativeAt(index) + period, upper = density.CumulativeAt(index + 1) + period;
            return new Cell(period, index, lower, upper, period + (double)index / _m, 1.0 / _m, 1 / (upper - lower));
        }
    }
}
