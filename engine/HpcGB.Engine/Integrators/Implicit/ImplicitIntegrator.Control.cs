namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The error norm and the choice of the next order and step.</summary>
public sealed partial class ImplicitIntegrator
{
    /// <summary>
    /// The estimate in <c>Estimate</c> filtered <paramref name="passes"/> times by the matrix as last modified,
    /// in the RMS norm over moving components relative to <paramref name="tolerance"/>; +∞ when not finite;
    /// <paramref name="worst"/> the held particle with the largest component here and its size.
    /// </summary>
    private static double FilteredNorm(Workspace work, int passes, double tolerance, out (int Held, double Size) worst)
    {
        for (int pass = 0; pass < passes; pass++)
        {
            work.Solver.Matrix.Solve(work.Estimate, work.Filtered, 1e-6, 200);
            (work.Estimate, work.Filtered) = (work.Filtered, work.Estimate);
        }
        double sum = 0, largest = -1;
        int held = -1;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] e = work.Estimate[a];
            for (int i = 0; i < e.Length; i++)
            {
                double r = e[i] / tolerance;
                sum += r * r;
                if (Math.Abs(r) > largest)
                {
                    largest = Math.Abs(r);
                    held = i;
                }
            }
        }
        worst = (held, largest);
        var halo = work.Solver.Matrix.Halo;
        double norm = Math.Sqrt(halo.Sum(sum) / (work.MovingAxes * halo.Total));
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
    }

    /// <summary>
    /// The order and step after an accepted step of order q (<see cref="OrderChoice"/>): the step for order q from
    /// its error, and once q + 1 steps have passed at q, those for q − 1 and q + 1 from the errors they would have
    /// made on this step (filtered like order q's); the order with the largest step wins. Order q's step is also
    /// kept below Gustafsson's predictive one (<see cref="OrderChoice.Predictive"/>) from the last accepted step.
    /// </summary>
    private (int Order, double Step) ChooseNext(Workspace work, double tau, Outcome outcome, bool rejectedBefore, AcceptedError last)
    {
        int q = outcome.Order;
        double exponent = Exponent(q, tau);
        double own = OrderChoice.Factor(outcome.Error, exponent, OrderChoice.Safety);
        if (last.Step > 0 && last.Order == q)
        {
            own = Math.Min(own, OrderChoice.Predictive(outcome.Error, tau, last, exponent));
        }
        var best = (Order: q, Factor: own);
        bool settled = work.History.Count > 1 && _stepsAtOrder + 1 >= q + 1 && !rejectedBefore;
        if (settled)
        {
            double tolerance = LocalTolerance(tau);
            if (q > 1)
            {
                double factor = OrderChoice.Factor(OtherOrderError(work, q - 1, tolerance), Exponent(q - 1, tau), OrderChoice.SafetyDown);
                if (factor > best.Factor)
                {
                    best = (q - 1, factor);
                }
            }
            if (q < MaxOrder && work.History.Count >= q + 2)
            {
                double factor = OrderChoice.Factor(OtherOrderError(work, q + 1, tolerance), Exponent(q + 1, tau), OrderChoice.SafetyUp);
                if (factor > best.Factor)
                {
                    best = (q + 1, factor);
                }
            }
        }
        double step = Math.Clamp(best.Factor, OrderChoice.MinFactor, OrderChoice.MaxFactor);
        if (rejectedBefore)
        {
            step = Math.Min(step, 1.0);
        }
        else if (step is >= 1.0 and < OrderChoice.HoldBelow)
        {
            step = 1.0;
        }
        return (best.Order, tau * step);
    }

    /// <summary>
    /// The filtered error norm order m would have made on the step just solved: F_m·D_{m+1}
    /// (<see cref="BdfFormula.DifferenceFactor"/>), D through the solution and the m + 1 newest history points.
    /// </summary>
    private static double OtherOrderError(Workspace work, int m, double tolerance)
    {
        var u = work.Nodes;
        Span<double> weights = stackalloc double[BdfFormula.MaxOrder + 3];
        BdfFormula.DividedDifference(u, m + 1, weights);
        double factor = BdfFormula.DifferenceFactor(u, m);
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] e = work.Estimate[a], z = work.Stage.Positions[a];
            for (int i = 0; i < e.Length; i++)
            {
                e[i] = weights[0] * z[i];
            }
            for (int j = 1; j <= m + 1; j++)
            {
                double w = weights[j];
                double[] xj = work.History.Point(j - 1)[a];
                for (int i = 0; i < e.Length; i++)
                {
                    e[i] += w * xj[i];
                }
            }
            for (int i = 0; i < e.Length; i++)
            {
                e[i] *= factor;
            }
        }
        return FilteredNorm(work, 1, tolerance, out _);
    }
}

/// <summary>The constants of the step and order choice (<see cref="ImplicitIntegrator"/>).</summary>
internal static class OrderChoice
{
    /// <summary>Safety factors for the steps of orders q, q − 1 and q + 1 (LSODE biases the same way).</summary>
    public const double Safety = 0.9, SafetyDown = 0.8, SafetyUp = 0.75;

    public const double MinFactor = 0.2;

    /// <summary>Largest growth of the step: 2 keeps variable-step BDF2 zero-stable.</summary>
    public const double MaxFactor = 2.0;

    /// <summary>Growth below this keeps the step as it is.</summary>
    public const double HoldBelow = 1.2;

    /// <summary>Steps shorter than this count as this long in the tolerance per unit of time (<see cref="ImplicitIntegrator.ErrorPerUnitTime"/>).</summary>
    public const double ShortestUnit = 1e-3;

    /// <summary>The step factor safety·err^{−1/exponent} for an error norm that scales as τ^exponent.</summary>
    public static double Factor(double error, double exponent, double safety) =>
        double.IsFinite(error) ? safety * Math.Pow(Math.Max(error, 1e-10), -1.0 / exponent) : 0.0;

    /// <summary>The smallest previous error the predictive factor divides by (RADAU5's 10⁻²).</summary>
    private const double SmallestPreviousError = 1e-2;

    /// <summary>
    /// Gustafsson's predictive step factor (Hairer–Wanner IV.8, RADAU5): Factor(err)·(τ/τ_prev)·(err_prev/err)^{1/k}
    /// with τ_prev, err_prev those of the last accepted step. When the error grows from step to step at about the
    /// same τ (a pair being captured speeds up as it closes in), the plain factor keeps τ and the next step fails the
    /// error test; this one shrinks τ ahead of it.
    /// </summary>
    public static double Predictive(double error, double tau, AcceptedError last, double exponent) =>
        Factor(error, exponent, Safety) * (tau / last.Step)
            * Math.Pow(Math.Max(last.Error, SmallestPreviousError) / Math.Max(error, 1e-10), 1.0 / exponent);
}

/// <summary>The step, error norm and order of the last accepted step (<see cref="OrderChoice.Predictive"/>); Step 0: none.</summary>
internal readonly record struct AcceptedError(double Step, double Error, int Order);
