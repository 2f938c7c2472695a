using System.Globalization;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Service;

/// <summary>
/// What a checkpoint must hold to be restored, beyond a matching hash: finite positions and times, signs ±1,
/// non-negative counters, arrays of matching shapes (<see cref="Check(CheckpointData)"/>), and a state that fits its
/// own spec (<see cref="Check(CheckpointData, SimulationSpec)"/>). Every failure is a <see cref="FormatException"/>
/// naming the field, so a damaged or hand-edited file is refused with the reason instead of running on garbage.
/// </summary>
internal static class CheckpointContent
{
    public static void Check(CheckpointData data)
    {
        var snapshot = data.Snapshot;
        var positions = snapshot.Positions;
        if (positions.Length is not (1 or 2))
        {
            throw new FormatException($"positions: expected 1 or 2 columns, got {positions.Length}");
        }
        int n = positions[0].Length;
        if (n == 0 || data.Signs.Length != n)
        {
            throw new FormatException($"signs: {data.Signs.Length} signs for {n} positions");
        }
        Finite(positions, "positions");
        int wrong = Array.FindIndex(data.Signs, sign => sign is not (1 or -1));
        if (wrong >= 0)
        {
            throw new FormatException($"signs[{wrong}]: must be 1 or -1, got {data.Signs[wrong]}");
        }
        FiniteNonNegative(snapshot.Time, "time");
        NonNegative(snapshot.NextFrame, "next_frame");
        NonNegative(snapshot.FrameEvaluations, "frame_evaluations");

        var integrator = snapshot.Integrator ?? throw new FormatException("integrator: missing");
        if (string.IsNullOrEmpty(integrator.Integrator))
        {
            throw new FormatException("integrator.name: must not be empty");
        }
        FiniteNonNegative(integrator.Time, "integrator.time");
        FiniteNonNegative(integrator.Step, "integrator.step");
        FiniteNonNegative(integrator.PreviousError, "integrator.previous_error");
        NonNegative(integrator.AcceptedSteps, "integrator.accepted_steps");
        NonNegative(integrator.RejectedSteps, "integrator.rejected_steps");
        NonNegative(integrator.ForceEvaluations, "integrator.force_evaluations");
        if (integrator.Velocity is { } velocity)
        {
            SameShape(velocity, positions.Length, n, "integrator.velocity");
            Finite(velocity, "integrator.velocity");
        }
        if (integrator.History is { } history)
        {
            Check(history, positions.Length, n);
        }
    }

    /// <summary>The state fits the spec it carries: same dimension, a time within [0, time.end], a frame within
    /// the output count.</summary>
    public static void Check(CheckpointData data, SimulationSpec spec)
    {
        var snapshot = data.Snapshot;
        if (snapshot.Positions.Length != spec.Dimension)
        {
            throw new FormatException($"positions: {snapshot.Positions.Length} columns, but the spec has dimension {spec.Dimension}");
        }
        if (snapshot.Time > spec.Time.End)
        {
            throw new FormatException($"time: {Text(snapshot.Time)} is beyond the spec's time.end {Text(spec.Time.End)}");
        }
        if (snapshot.NextFrame > spec.Time.Outputs)
        {
            throw new FormatException($"next_frame: {snapshot.NextFrame}, but the spec has {spec.Time.Outputs} outputs");
        }
    }

    private static void Check(MultistepHistory history, int dimension, int n)
    {
        if (history.Times.Length != history.Points.Length || history.Times.Length == 0)
        {
            throw new FormatException($"integrator.history: {history.Times.Length} times for {history.Points.Length} points");
        }
        for (int k = 0; k < history.Times.Length; k++)
        {
            FiniteNonNegative(history.Times[k], $"integrator.history.times[{k}]");
            var point = history.Points[k];
            // A point holds the moving axes only (glide: x1 alone).
            if (point.Length < 1 || point.Length > dimension || point.Any(axis => axis.Length != n))
            {
                throw new FormatException($"integrator.history.points[{k}]: does not match {n} particles in {dimension}D");
            }
            Finite(point, $"integrator.history.points[{k}]");
        }
        if (!double.IsFinite(history.Energy))
        {
            throw new FormatException($"integrator.history.energy: must be finite, got {Text(history.Energy)}");
        }
    }

    private static void SameShape(double[][] axes, int dimension, int n, string name)
    {
        if (axes.Length != dimension || axes.Any(axis => axis.Length != n))
        {
            throw new FormatException($"{name}: does not match {n} particles in {dimension}D");
        }
    }

    private static void Finite(double[][] axes, string name)
    {
        for (int a = 0; a < axes.Length; a++)
        {
            int i = Array.FindIndex(axes[a], value => !double.IsFinite(value));
            if (i >= 0)
            {
                throw new FormatException($"{name}[{i}][{a}]: must be finite, got {Text(axes[a][i])}");
            }
        }
    }

    private static void FiniteNonNegative(double value, string name)
    {
        if (!(double.IsFinite(value) && value >= 0))
        {
            throw new FormatException($"{name}: must be a finite number ≥ 0, got {Text(value)}");
        }
    }

    private static void NonNegative(long value, string name)
    {
        if (value < 0)
        {
            throw new FormatException($"{name}: must be ≥ 0, got {value}");
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
