using System.Diagnostics;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>bench implicit SPEC [SPEC…]</c>: runs each spec and prints every step of the implicit integrator (time, τ,
/// order, Newton iterations, error estimate; rejections with their reason), then steps, rejections, force
/// evaluations and wall time of the simulation.
/// </summary>
internal static class ImplicitTrace
{
    public static void Run(IEnumerable<string> specs, bool quiet)
    {
        foreach (string path in specs)
        {
            var spec = SpecReader.ParseFile(path);
            var runner = new SimulationRunner(spec);
            if (runner.Integrator is ImplicitIntegrator implicitIntegrator && !quiet)
            {
                implicitIntegrator.StepAccepted = s => Console.WriteLine(
                    $"  t = {s.Time:G6}  τ = {s.Step:E2}  order {s.Order}  newton {s.NewtonIterations}  err {s.ErrorNorm:F3}  E {s.EnergyAfter:G10}");
                implicitIntegrator.StepRejected = (t, tau, reason) => Console.WriteLine($"  rejected at t = {t:G6}, τ = {tau:E2}: {reason}");
            }
            var clock = Stopwatch.StartNew();
            long bound = 0;
            var result = runner.Run(frame => bound = frame.Observables.BoundDipoles);
            Console.WriteLine(
                $"{Path.GetFileName(path)}: n = {runner.InitialState.Count}, {runner.Evaluator.Name} forces, {runner.IntegratorName}: "
                + $"{result.AcceptedSteps} steps, {result.RejectedSteps} rejected, {result.ForceEvaluations} evaluations, "
                + $"{clock.Elapsed.TotalSeconds:F2} s, bound dipoles at the end {bound}");
        }
    }
}
