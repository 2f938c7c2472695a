using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>
/// Explicit Euler with a fixed step: x ← x + h·v(x). Within one <see cref="Advance"/> the step times are
/// time + k·h (no accumulated drift); the last step is shortened to land exactly on the target (a remainder
/// below 1e-9·h is merged into the step before it). First order; meant for tests and cross-checks.
/// </summary>
public sealed partial class ForwardEuler : IIntegrator
{
    private readonly double _step;
    private readonly MobilityType _mobility;
    private double[][]? _velocity;
    private ParticleState? _owner;

    public ForwardEuler(double step, MobilityType mobility)
    {
        if (!(step > 0 && double.IsFinite(step)))
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"the step must be positive and finite, got {step}");
        }
        _step = step;
        _mobility = mobility;
    }

    public string Name => "euler";

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps => 0;

    public long ForceEvaluations { get; private set; }

    public Action<double>? Progress { get; set; }

    /// <summary>Nothing to forget: Euler keeps no state between steps.</summary>
    public void Reset()
    {
    }

    public void Advance(
        IForceEvaluator evaluator, ParticleState state, double time, double target,
        CancellationToken cancellation = default)
    {
        if (!(target >= time))
        {
            throw new ArgumentOutOfRangeException(nameof(target), $"target {target} is before the current time {time}");
        }
        if (_velocity is null || !ReferenceEquals(_owner, state))
        {
            _velocity = state.NewVectors();
            _owner = state;
        }
        int moving = StagePositions.MovingAxes(state, _mobility);
        double t = time;
        for (long k = 1; t < target; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            double next = time + k * _step;
            if (next >= target - 1e-9 * _step)
            {
                next = target;
            }
            double h = next - t;
            ForceEvaluations++;
            Velocities.Evaluate(evaluator, state, _velocity, withEnergy: false, t);
            for (int a = 0; a < moving; a++)
            {
                double[] x = state.Positions[a], v = _velocity[a];
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] += h * v[i];
                }
            }
            AcceptedSteps++;
            t = next;
            Progress?.Invoke(t);
        }
        _endTime = t;
    }
}
