using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>The Dormand–Prince tableau, one trial step and the initial step size.</summary>
public sealed partial class DormandPrince45
{
    // Nodes c_s and the rows a_s of the Butcher tableau (Dormand & Prince 1980); row 7 is the 5th-order weights b.
    private static readonly double[] C = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1];

    private static readonly double[][] A =
    [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ];

    // E = b − b̂: the 5th- minus the embedded 4th-order weights (b̂ = 5179/57600, 0, 7571/16695, 393/640,
    // −92097/339200, 187/2100, 1/40).
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920;
    private const double E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    /// <summary>
    /// Computes stages 2…7 from k1 = v(y) at time t: the stage state ends holding y_new (5th order), K[6] holds
    /// v(y_new). Returns the RMS error norm of the embedded estimate (+∞ when it is not finite).
    /// </summary>
    private double TryStep(IForceEvaluator evaluator, Workspace work, double t, double h)
    {
        var y = work.Owner.Positions;
        for (int s = 1; s < 7; s++)
        {
            double[] row = A[s];
            for (int a = 0; a < work.MovingAxes; a++)
            {
                double[] target = work.State.Positions[a];
                Array.Copy(y[a], target, target.Length);
                for (int j = 0; j < row.Length; j++)
                {
                    if (row[j] != 0)
                    {
                        AddScaled(target, h * row[j], work.K[j][a]);
                    }
                }
            }
            Evaluate(evaluator, work.State, work.K[s], t + C[s] * h);
        }
        return ErrorNorm(work, h);
    }

    /// <summary>RMS over moving components of h·Σ E_s k_s / (atol + rtol) (<see cref="PositionTolerance.Scale"/>).</summary>
    private double ErrorNorm(Workspace work, double h)
    {
        var k = work.K;
        double sum = 0;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] y = work.Owner.Positions[a];
            double[] k1 = k[0][a], k3 = k[2][a], k4 = k[3][a], k5 = k[4][a], k6 = k[5][a], k7 = k[6][a];
            for (int i = 0; i < y.Length; i++)
            {
                double err = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                double ratio = err / _scale;
                sum += ratio * ratio;
            }
        }
        double components = work.Components;
        if (_sums is not null)
        {
            (sum, components) = Global(sum, components);
        }
        double norm = Math.Sqrt(sum / components);
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
    }

    /// <summary>
    /// Hairer's starting step (HNW I, §II.4) with RMS norms: h0 = 0.01‖y‖/‖f‖, one explicit Euler trial step
    /// to estimate ‖f'‖, then h = min(100·h0, (0.01/max(‖f‖, ‖f'‖))^{1/5}), never beyond the first target.
    /// ‖y‖ is the torus period L = 1 over the error scale, as in the error norm (<see cref="PositionTolerance.Scale"/>):
    /// positions have no origin, and |y| would make a translated copy of a system start with another step.
    /// Costs one evaluation (stored in K[1], which the next step overwrites).
    /// </summary>
    private double InitialStep(IForceEvaluator evaluator, Workspace work, double t, double target)
    {
        double span = target - t;
        var y = work.Owner.Positions;
        var f0 = work.K[0];
        double normY = 1.0 / _scale, normF = 0;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            for (int i = 0; i < y[a].Length; i++)
            {
                normF += Square(f0[a][i] / _scale);
            }
        }
        double components = work.Components;
        if (_sums is not null)
        {
            (normF, components) = Global(normF, components);
        }
        normF = Math.Sqrt(normF / components);
        double h0 = normY < 1e-5 || normF < 1e-5 ? 1e-6 : 0.01 * normY / normF;
        h0 = Math.Min(h0, span);

        for (int a = 0; a < work.MovingAxes; a++)
        {
            Array.Copy(y[a], work.State.Positions[a], y[a].Length);
            AddScaled(work.State.Positions[a], h0, f0[a]);
        }
        var f1 = work.K[1];
        Evaluate(evaluator, work.State, f1, t + h0);
        double normDf = 0;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            for (int i = 0; i < y[a].Length; i++)
            {
                normDf += Square((f1[a][i] - f0[a][i]) / _scale);
            }
        }
        if (_sums is not null)
        {
            normDf = _sums.Sum(normDf)[0];
        }
        double secondDerivative = Math.Sqrt(normDf / components) / h0;
        double largest = Math.Max(normF, secondDerivative);
        double h1 = largest <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / largest, 0.2);
        double h = Math.Min(100 * h0, h1);
        return double.IsFinite(h) && h > 0 ? Math.Min(h, span) : span * 1e-6;
    }

    /// <summary>A sum of squares and its component count over all ranks.</summary>
    private (double Sum, double Components) Global(double sum, double components)
    {
        var total = _sums!.Sum(sum, components);
        return (total[0], total[1]);
    }

    /// <summary>target += factor·x.</summary>
    private static void AddScaled(double[] target, double factor, double[] x)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += factor * x[i];
        }
    }

    private static double Square(double x) => x * x;
}
