using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Continuum;

/// <summary>
/// The regularised Groma–Balogh system ∂_t ρ^± = ±div(ρ^± (∇V_δ * κ + ∇U − F)) (docs/model.md §3, (2.13); glide (2.20):
/// x1 fluxes only) by finite volumes: <see cref="MusclTransport"/> in space, the three-stage SSP Runge–Kutta
/// method of Shu and Osher in time, the drift recomputed by <see cref="ContinuumField"/> at every stage. The step
/// is Δt = CFL / (Σ_a max|w_a|/h_a + max(ρ⁺ + ρ⁻)·Λ) from the state at the start of each step, cut to land on
/// every target time: the advective Courant condition plus the rate of the interaction's nonlocal diffusion
/// (<see cref="ContinuumField.InteractionRate"/>), which the advective condition alone does not bound.
/// </summary>
public sealed class GromaBaloghSolver : IDisposable
{
    /// <summary>The default Courant number (positivity needs ≤ ½).</summary>
    public const double DefaultCfl = 0.4;

    private readonly ContinuumField _field;
    private readonly double[][] _drift;
    private readonly double[] _stagePositive;
    private readonly double[] _stageNegative;
    private readonly double[] _ratePositive;
    private readonly double[] _rateNegative;

    public GromaBaloghSolver(ContinuumGrid grid, SystemModel model, double[] positive, double[] negative, double cfl = DefaultCfl)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Length != grid.CellCount || negative.Length != grid.CellCount)
        {
            throw new ArgumentException($"densities need {grid.CellCount} cell values each", nameof(positive));
        }
        if (!(cfl > 0 && cfl <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(cfl), cfl, "the Courant number must be in (0, 0.5]");
        }
        Grid = grid;
        Cfl = cfl;
        _field = new ContinuumField(grid, model);
        _drift = _field.NewFaceArrays();
        Positive = (double[])positive.Clone();
        Negative = (double[])negative.Clone();
        _stagePositive = new double[grid.CellCount];
        _stageNegative = new double[grid.CellCount];
        _ratePositive = new double[grid.CellCount];
        _rateNegative = new double[grid.CellCount];
    }

    public ContinuumGrid Grid { get; }

    public ContinuumField Field => _field;

    public double Cfl { get; }

    /// <summary>The current ρ⁺ (cell averages), updated in place.</summary>
    public double[] Positive { get; }

    /// <summary>The current ρ⁻ (cell averages), updated in place.</summary>
    public double[] Negative { get; }

    public double Time { get; private set; }

    /// <summary>SSP-RK3 steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Integrates to <paramref name="target"/> ≥ <see cref="Time"/>, landing on it exactly; a non-finite
    /// drift throws <see cref="SimulationException"/>.</summary>
    public void Advance(double target, CancellationToken ct = default)
    {
        if (!(target >= Time))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target time before the current time {Time}");
        }
        while (Time < target)
        {
            ct.ThrowIfCancellationRequested();
            Rate(Positive, Negative);
            double dt = Math.Min(StableStep(), target - Time);
            if (!(dt > 0))
            {
                // A non-finite drift (a density that overflowed) would otherwise end the loop with Time = NaN.
                throw new SimulationException($"Groma–Balogh solver: no valid step at t = {Time:R} (step {dt:R}); the drift is not finite", Time);
            }
            // Stage 1: u1 = u + Δt L(u) (the rate at u is already computed).
            Combine(_stagePositive, Positive, 0.0, Positive, 1.0, dt, _ratePositive);
            Combine(_stageNegative, Negative, 0.0, Negative, 1.0, dt, _rateNegative);
            // Stage 2: u2 = ¾u + ¼(u1 + Δt L(u1)).
            Rate(_stagePositive, _stageNegative);
            Combine(_stagePositive, Positive, 0.75, _stagePositive, 0.25, dt, _ratePositive);
            Combine(_stageNegative, Negative, 0.75, _stageNegative, 0.25, dt, _rateNegative);
            // Stage 3: u = ⅓u + ⅔(u2 + Δt L(u2)).
            Rate(_stagePositive, _stageNegative);
            Combine(Positive, Positive, 1.0 / 3.0, _stagePositive, 2.0 / 3.0, dt, _ratePositive);
            Combine(Negative, Negative, 1.0 / 3.0, _stageNegative, 2.0 / 3.0, dt, _rateNegative);
            Time = target - Time <= dt ? target : Time + dt;
            Steps++;
        }
    }

    /// <summary>Mass, energy, entropy, speed and minimum of the current state.</summary>
    public ContinuumObservables Observe()
    {
        _field.Drift(Positive, Negative, _drift);
        double speed = 0;
        foreach (var axis in _drift)
        {
            foreach (double w in axis)
            {
                speed = Math.Max(speed, Math.Abs(w));
            }
        }
        return new ContinuumObservables(
            Time,
            Grid.Integrate(Positive),
            Grid.Integrate(Negative),
            _field.Energy(Positive, Negative),
            (Entropy(Positive) + Entropy(Negative)) * Grid.CellVolume,
            speed,
            Math.Min(Positive.Min(), Negative.Min()),
            Steps);
    }

    /// <summary>
    /// Runs through <paramref name="outputTimes"/> (increasing, the first ≥ the current time), calling
    /// <paramref name="onFrame"/> at each with copies of the densities.
    /// </summary>
    public void Run(IReadOnlyList<double> outputTimes, Action<ContinuumFrame> onFrame, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(outputTimes);
        ArgumentNullException.ThrowIfNull(onFrame);
        for (int index = 0; index < outputTimes.Count; index++)
        {
            Advance(outputTimes[index], ct);
            onFrame(new ContinuumFrame(index, Observe(), (double[])Positive.Clone(), (double[])Negative.Clone()));
        }
    }

    public void Dispose() => _field.Dispose();

    /// <summary>The rates of both signs at (ρ⁺, ρ⁻): + moves with −w, − with +w.</summary>
    private void Rate(double[] positive, double[] negative)
    {
        _field.Drift(positive, negative, _drift);
        Array.Clear(_ratePositive);
        Array.Clear(_rateNegative);
        MusclTransport.AddRate(Grid, positive, _drift, -1.0, _ratePositive);
        MusclTransport.AddRate(Grid, negative, _drift, +1.0, _rateNegative);
    }

    /// <summary>Δt = CFL / (Σ_a max|w_a|/h_a + max(ρ⁺ + ρ⁻)Λ) with the drift of the last <see cref="Rate"/>;
    /// infinite at rest, NaN for a non-finite drift.</summary>
    private double StableStep()
    {
        double total = 0;
        for (int c = 0; c < Positive.Length; c++)
        {
            total = Math.Max(total, Positive[c] + Negative[c]);
        }
        double sum = total * _field.InteractionRate;
        for (int axis = 0; axis < _drift.Length; axis++)
        {
            double largest = 0;
            foreach (double w in _drift[axis])
            {
                largest = Math.Max(largest, Math.Abs(w));
            }
            sum += largest * Grid.Shape[axis];
        }
        return sum == 0 ? double.PositiveInfinity : Cfl / sum; // NaN stays NaN
    }

    /// <summary>target = a·x + b·(y + Δt·rate), elementwise (target may alias x or y).</summary>
    private static void Combine(double[] target, double[] x, double a, double[] y, double b, double dt, double[] rate)
    {
        for (int c = 0; c < target.Length; c++)
        {
            target[c] = a * x[c] + b * (y[c] + dt * rate[c]);
        }
    }

    private static double Entropy(double[] density)
    {
        double sum = 0;
        foreach (double rho in density)
        {
            if (rho > 0)
            {
                sum += rho * Math.Log(rho);
            }
        }
        return sum;
    }
}
