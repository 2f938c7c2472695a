using System.Diagnostics;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>bench implicit SPEC [SPEC…]</c>: runs each spec and prints every step of the implicit integrator (time, τ,
/// order, Newton iterations, error estimate; rejections with their reason), one line per output frame (energy, bound dipoles, steps so far), then steps, rejections, force
/// evaluations and wall time of the simulation.
/// </summary>
internal static class ImplicitTrace
{
    public static void Run(IEnumerable<string> specs, bool quiet)
    {
        foreach (string path in specs)
        {
            var spec = SpecReader.ParseFile(path);
            var initial = HpcGB.Engine.Initialization.InitialConditions.Create(spec);
            var timed = new TimedEvaluator(ForceEvaluatorFactory.Create(spec.System, spec.Forces, initial.Count));
            var runner = new SimulationRunner(spec, timed);
            if (runner.Integrator is ImplicitIntegrator implicitIntegrator && !quiet)
            {
                implicitIntegrator.StepAccepted = s => Console.WriteLine(
                    $"  t = {s.Time:G6}  τ = {s.Step:E2}  order {s.Order}  newton {s.NewtonIterations}  err {s.ErrorNorm:F3}  E {s.EnergyAfter:G10}");
                implicitIntegrator.StepRejected = (t, tau, reason) => Console.WriteLine($"  rejected at t = {t:G6}, τ = {tau:E2}: {reason}");
            }
            var clock = Stopwatch.StartNew();
            long bound = 0;
            var result = runner.Run(frame =>
            {
                var o = frame.Observables;
                bound = o.BoundDipoles;
                Console.WriteLine($"frame t = {o.Time:G4}: E = {o.Energy:G10}, bound dipoles {o.BoundDipoles}, steps {o.AcceptedSteps} (+{o.RejectedSteps} rejected), {clock.Elapsed.TotalSeconds:F2} s");
            });
            Console.WriteLine(
                $"{Path.GetFileName(path)}: n = {runner.InitialState.Count}, {runner.Evaluator.Name} forces, {runner.IntegratorName}: "
                + $"{result.AcceptedSteps} steps, {result.RejectedSteps} rejected, {result.ForceEvaluations} evaluations, "
                + $"{clock.Elapsed.TotalSeconds:F2} s ({timed.Elapsed.TotalSeconds:F2} s in force evaluations), bound dipoles at the end {bound}");
        }
    }
}

/// <summary>Forwards to an evaluator and adds up the time spent in it.</summary>
internal sealed class TimedEvaluator(IForceEvaluator inner) : IForceEvaluator
{
    private readonly Stopwatch _clock = new();

    public string Name => inner.Name;

    public SystemModel Model => inner.Model;

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyDictionary<string, object> Parameters => inner.Parameters;

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
    {
        _clock.Start();
        try
        {
            return inner.Evaluate(state, velocity, withEnergy);
        }
        finally
        {
            _clock.Stop();
        }
    }
}
