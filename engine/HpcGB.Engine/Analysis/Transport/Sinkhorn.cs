using System.Numerics.Tensors;

namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Entropic W₂ on the torus between two empirical measures (uniform weights 1/n and 1/m; the counts may differ),
/// for sizes where the exact assignment is too slow. Log-domain Sinkhorn (stable for any ε): with potentials f, g,
/// f_i ← −ε log Σ_j (1/m) exp((g_j − C_ij)/ε), g_j ← −ε log Σ_i (1/n) exp((f_i − C_ij)/ε), C_ij = |x_i − y_j|²_T,
/// each log-sum-exp shifted by its maximum; ε-scaling (stages (d/4)·s, (d/4)·s², … down to ε, warm-started) and
/// adaptive over-relaxation (each potential moves ω times the plain step) cut the iteration count. The cost is computed on
/// the fly, one row at a time (O(n + m) memory), rows in parallel, each row in a fixed order: the result does not
/// depend on the thread count. The reported value is √⟨P, C⟩ for the plan P_ij = exp((f_i + g_j − C_ij)/ε)/(nm)
/// after a final plain column step (columns exact, rows within the tolerance); for a converged plan
/// W₂² ≤ ⟨P, C⟩ ≤ W₂² + ε ln min(n, m) (the plan's entropy exceeds that of an optimal one by at most that much).
/// </summary>
public static class Sinkhorn
{
    /// <summary>Entropic W₂ between <c>x[axis][i]</c> and <c>y[axis][j]</c> (positions may be unwrapped).</summary>
    /// <exception cref="ArgumentException">Different dimensions, an empty set, or a non-finite position.</exception>
    /// <exception cref="InvalidOperationException">The marginals did not reach the tolerance within the iteration cap.</exception>
    public static W2Result Between(double[][] x, double[][] y, SinkhornOptions? options = null)
    {
        options ??= new SinkhornOptions();
        options.Validate();
        var xs = TorusPoints.Wrapped(x, nameof(x));
        var ys = TorusPoints.Wrapped(y, nameof(y));
        TorusPoints.RequireSameDimension(xs, ys);
        if (xs[0].Length == 0 || ys[0].Length == 0)
        {
            throw new ArgumentException("both measures need at least one point", xs[0].Length == 0 ? nameof(x) : nameof(y));
        }
        var solver = new Solver(xs, ys);
        double epsilon = xs.Length / 4.0;
        int iterations = 0;
        while (true)
        {
            epsilon = Math.Max(options.Epsilon, epsilon * options.Scaling);
            bool final = epsilon == options.Epsilon;
            double tolerance = final ? options.Tolerance : Math.Max(options.Tolerance, SinkhornOptions.StageTolerance);
            var relaxation = new AdaptiveRelaxation(options.Relaxation);
            double error;
            do
            {
                if (iterations++ >= options.MaxIterations)
                {
                    throw new InvalidOperationException(
                        $"Sinkhorn did not converge in {options.MaxIterations} iterations at epsilon = {epsilon} "
                        + "(a larger epsilon or tolerance converges faster)");
                }
                double omega = relaxation.Omega;
                error = solver.UpdateRows(epsilon, omega);
                solver.UpdateColumns(epsilon, omega);
                relaxation.Observe(error);
            }
            while (error > tolerance);
            if (final)
            {
                break;
            }
        }
        solver.UpdateColumns(epsilon, 1);
        return new W2Result(Math.Sqrt(solver.TransportCost(epsilon)), TransportMethod.Sinkhorn, epsilon);
    }

    /// <summary>
    /// Over-relaxation with ω chosen from the observed convergence (Lehmann, von Renesse, Sambale, Uschmajew 2022):
    /// plain steps first; once the marginal error contracts by a steady factor λ per iteration, ω = 2/(1 + √(1 − λ)),
    /// capped. Relaxed errors need not fall monotonically, so the stage falls back to plain steps (and re-estimates)
    /// only when the error climbs above twice the best one seen since ω was raised.
    /// </summary>
    private sealed class AdaptiveRelaxation(double cap)
    {
        // Consecutive plain iterations with agreeing error ratios before ω is raised.
        private const int Probes = 3;

        private double _previous = double.PositiveInfinity;
        private double _previousRate = double.NaN;
        private double _best;
        private int _steady;

        public double Omega { get; private set; } = 1;

        public void Observe(double error)
        {
            double rate = error / _previous;
            _previous = error;
            if (Omega > 1)
            {
                if (!(error <= 2 * _best))
                {
                    Omega = 1;
                    _steady = 0;
                    _previousRate = double.NaN;
                }
                _best = Math.Min(_best, error);
                return;
            }
            // A steady rate: two consecutive ratios within 10 % of each other.
            _steady = rate < 1 && Math.Abs(rate - _previousRate) < 0.1 * rate ? _steady + 1 : 0;
            _previousRate = rate;
            if (_steady >= Probes - 1 && cap > 1)
            {
                Omega = Math.Min(cap, 2 / (1 + Math.Sqrt(1 - rate)));
                _best = error;
            }
        }
    }

    /// <summary>The potentials and the row-wise log-sum-exp passes (columns are rows of the transposed problem).</summary>
    private sealed class Solver(double[][] x, double[][] y)
    {
        private readonly double[] _f = new double[x[0].Length];
        private readonly double[] _g = new double[y[0].Length];

        /// <summary>The f step; returns the ℓ¹ row-marginal error of the plan before it.</summary>
        public double UpdateRows(double epsilon, double relaxation) => Update(x, y, _f, _g, epsilon, relaxation);

        public void UpdateColumns(double epsilon, double relaxation) => Update(y, x, _g, _f, epsilon, relaxation);

        /// <summary>⟨P, C⟩ = Σ_ij C_ij exp((f_i + g_j − C_ij)/ε)/(nm).</summary>
        public double TransportCost(double epsilon)
        {
            int n = _f.Length, m = _g.Length;
            var rowCosts = new double[n];
            Parallel.For(0, n, Threading(n, m), () => (new double[m], new double[m]), (i, _, buffers) =>
            {
                var (cost, weight) = buffers;
                TorusPoints.Distance2Row(x, i, y, cost);
                // weight_j = exp((f_i + g_j − C_ij)/ε)
                TensorPrimitives.Subtract(_g, cost, weight);
                TensorPrimitives.Add(weight, _f[i], weight);
                TensorPrimitives.Multiply(weight, 1 / epsilon, weight);
                TensorPrimitives.Exp(weight, weight);
                rowCosts[i] = TensorPrimitives.Dot(weight, cost);
                return buffers;
            }, _ => { });
            double sum = 0;
            foreach (double c in rowCosts)
            {
                sum += c;
            }
            return sum / ((double)n * m);
        }

        /// <summary>One thread below ~64k cost entries, where scheduling would cost more than the pass.</summary>
        private static ParallelOptions Threading(int n, int m) =>
            new() { MaxDegreeOfParallelism = (long)n * m < 1 << 16 ? 1 : -1 };

        /// <summary>
        /// potential_i ← (1 − ω) potential_i + ω·(−ε log Σ_j (1/m) exp((other_j − C_ij)/ε)); returns Σ_i (1/n)|row sum·n − 1|,
        /// the row sums of the plan before the step, which equal (1/n) exp((potential_i − new_i)/ε) for the plain step.
        /// </summary>
        private static double Update(
            double[][] rows, double[][] columns, double[] potential, double[] other, double epsilon, double relaxation)
        {
            int n = potential.Length, m = other.Length;
            var errors = new double[n];
            double logM = Math.Log(m);
            Parallel.For(0, n, Threading(n, m), () => new double[m], (i, _, exponent) =>
            {
                // exponent_j = (other_j − C_ij)/ε
                TorusPoints.Distance2Row(rows, i, columns, exponent);
                TensorPrimitives.Subtract(other, exponent, exponent);
                TensorPrimitives.Multiply(exponent, 1 / epsilon, exponent);
                double max = TensorPrimitives.Max(exponent);
                TensorPrimitives.Subtract(exponent, max, exponent);
                TensorPrimitives.Exp(exponent, exponent);
                double plain = -epsilon * (max + Math.Log(TensorPrimitives.Sum(exponent)) - logM);
                errors[i] = Math.Abs(Math.Exp((potential[i] - plain) / epsilon) - 1);
                potential[i] += relaxation * (plain - potential[i]);
                return exponent;
            }, _ => { });
            double sum = 0;
            foreach (double e in errors)
            {
                sum += e;
            }
            return sum / n;
        }
    }
}
