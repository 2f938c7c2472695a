using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Solves one implicit stage x − x̃ − γẋ(x) = 0, ẋ = −n∇E_n, as the minimising movement
/// x = argmin Φ(x), Φ(x) = ½|x − x̃|² + γ n E_n(x) (∇Φ = x − x̃ − γẋ): Newton steps M s = −∇Φ with the sparse
/// <see cref="NewtonMatrix"/> (positive definite, so s is a descent direction of Φ), and a backtracking
/// (Armijo) line search on the exact Φ, in which a collision under regularisation none only halves the step.
/// Converged when the last correction has a weighted RMS below <see cref="Tolerance"/>.
/// </summary>
internal sealed class StageSolver
{
    /// <summary>Weighted RMS of the last Newton correction at convergence (the step's error tolerance is 1).</summary>
    public const double Tolerance = 0.05;

    private const int MaxIterations = 12;
    private const int MaxHalvings = 60;
    private const double Armijo = 1e-4;
    private const double LinearTolerance = 1e-4;
    private const int MaxLinearIterations = 200;

    private readonly IForceEvaluator _evaluator;
    private readonly ParticleState _state; // the iterate (own arrays for the moving axes)
    private readonly double[][] _trial;
    private readonly double[][] _residual;
    private readonly double[][] _step;
    private readonly int _moving;
    private readonly int _n;

    public StageSolver(IForceEvaluator evaluator, ParticleState stage, NewtonMatrix matrix, int movingAxes, double radius)
    {
        _evaluator = evaluator;
        _state = stage;
        Matrix = matrix;
        _moving = movingAxes;
        _n = stage.Count;
        Radius = radius;
        Velocity = stage.NewVectors();
        _trial = NewMoving();
        _residual = NewMoving();
        _step = NewMoving();
    }

    public NewtonMatrix Matrix { get; }

    /// <summary>Pair radius of the Newton matrix.</summary>
    public double Radius { get; }

    /// <summary>ẋ at the last iterate.</summary>
    public double[][] Velocity { get; }

    /// <summary>E_n at the last iterate.</summary>
    public double Energy { get; private set; }

    public long Evaluations { get; private set; }

    public int Iterations { get; private set; }

    /// <summary>Why the last <see cref="Solve"/> failed (with the particles involved), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// From the iterate already in the stage state, solves for x̃ and γ with weights w (1/(atol + rtol|x|));
    /// returns false (with <see cref="Failure"/>) when Newton does not converge.
    /// </summary>
    public bool Solve(double[][] target, double gamma, double[][] weights)
    {
        Failure = null;
        Iterations = 0;
        if (!TryEvaluate(_state, out double energy))
        {
            return false;
        }
        Energy = energy;
        double merit = Merit(_state.Positions, target, gamma, energy);
        double previous = double.PositiveInfinity;
        for (int k = 0; k < MaxIterations; k++)
        {
            Iterations++;
            for (int a = 0; a < _moving; a++)
            {
                double[] x = _state.Positions[a], t = target[a], v = Velocity[a], f = _residual[a];
                for (int i = 0; i < _n; i++)
                {
                    f[i] = -(x[i] - t[i] - gamma * v[i]);
                }
            }
            Matrix.Assemble(_state, gamma, Radius);
            Matrix.Solve(_residual, _step, LinearTolerance, MaxLinearIterations);
            double slope = 0;
            for (int a = 0; a < _moving; a++)
            {
                for (int i = 0; i < _n; i++)
                {
                    slope -= _residual[a][i] * _step[a][i];
                }
            }
            if (!(slope < 0))
            {
                // Already at the minimiser to rounding: nothing left to correct.
                return true;
            }
            if (!LineSearch(target, gamma, slope, ref merit, out double alpha))
            {
                Failure ??= $"the line search found no decrease after {MaxHalvings} halvings (largest correction at particle {LargestCorrection(weights)})";
                return false;
            }
            double correction = alpha * WeightedRms(_step, weights);
            if (correction <= Tolerance)
            {
                return true;
            }
            if (k >= 2 && correction > 0.9 * previous)
            {
                Failure = $"Newton stalled (correction {correction:G3} after {correction / previous:G3} of the previous one; largest at particle {LargestCorrection(weights)})";
                return false;
            }
            previous = correction;
        }
        Failure = $"Newton did not converge in {MaxIterations} iterations (largest correction at particle {LargestCorrection(weights)})";
        return false;
    }

    /// <summary>Backtracks α = 1, ½, … until Φ(x + αs) ≤ Φ(x) + 10⁻⁴α∇Φ·s (plus rounding of Φ), then moves there.</summary>
    private bool LineSearch(double[][] target, double gamma, double slope, ref double merit, out double alpha)
    {
        alpha = 1.0;
        double[][] x = _state.Positions;
        for (int a = 0; a < _moving; a++)
        {
            Array.Copy(x[a], _trial[a], _n);
        }
        for (int h = 0; h < MaxHalvings; h++, alpha *= 0.5)
        {
            for (int a = 0; a < _moving; a++)
            {
                for (int i = 0; i < _n; i++)
                {
                    x[a][i] = _trial[a][i] + alpha * _step[a][i];
                }
            }
            if (!TryEvaluate(_state, out double energy))
            {
                continue;
            }
            double next = Merit(x, target, gamma, energy);
            double rounding = 1e-14 * (Math.Abs(merit) + Math.Abs(gamma * _n * energy));
            if (next <= merit + Armijo * alpha * slope + rounding)
            {
                merit = next;
                Energy = energy;
                return true;
            }
        }
        for (int a = 0; a < _moving; a++)
        {
            Array.Copy(_trial[a], x[a], _n);
        }
        TryEvaluate(_state, out double restored);
        Energy = restored;
        return false;
    }

    private bool TryEvaluate(ParticleState state, out double energy)
    {
        Evaluations++;
        try
        {
            energy = _evaluator.Evaluate(state, Velocity, withEnergy: true);
        }
        catch (CollisionException collision)
        {
            Failure = $"particles {collision.First} and {collision.Second} collided in a Newton trial";
            energy = double.NaN;
            return false;
        }
        if (!double.IsFinite(energy))
        {
            Failure = "the energy is not finite at a Newton trial";
            return false;
        }
        return true;
    }

    private double Merit(double[][] x, double[][] target, double gamma, double energy)
    {
        double sum = 0;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double d = x[a][i] - target[a][i];
                sum += d * d;
            }
        }
        return 0.5 * sum + gamma * _n * energy;
    }

    private double WeightedRms(double[][] v, double[][] weights)
    {
        double sum = 0;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double e = v[a][i] * weights[a][i];
                sum += e * e;
            }
        }
        return Math.Sqrt(sum / (_moving * _n));
    }

    private int LargestCorrection(double[][] weights)
    {
        int best = 0;
        double largest = -1;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double e = Math.Abs(_step[a][i] * weights[a][i]);
                if (e > largest)
                {
                    largest = e;
                    best = i;
                }
            }
        }
        return best;
    }

    private double[][] NewMoving()
    {
        var v = new double[_moving][];
        for (int a = 0; a < _moving; a++)
        {
            v[a] = new double[_n];
        }
        return v;
    }
}
