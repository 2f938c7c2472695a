using System.Diagnostics;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>bench implicit SPEC [SPEC…] [--quiet] [--final FILE] [--against FILE] [--attempts FILE]</c>:
/// runs each spec and prints every
/// step of the implicit integrator (time, τ, order, Newton iterations, error estimate; rejections with their
/// reason), one line per output frame (energy, bound dipoles, steps so far), then steps, rejections, force
/// evaluations and wall time of the simulation. <c>--final</c> writes the final unwrapped positions (raw float64,
/// axis after axis) of the last spec; <c>--against</c> prints the max and RMS difference of the final positions
/// (moving axes) from such a file (a reference run of the same initial state); <c>--attempts</c> writes each step
/// attempt's wall time in ms, one a line (runs of the same trajectory compare attempt by attempt: the least of each
/// over several runs is what a loaded machine's interruptions leave out). The order and error control
/// are the spec's <c>time.max_order</c> and <c>time.error</c> (docs/spec.md).
/// </summary>
internal static class ImplicitTrace
{
    public static void Run(IReadOnlyList<string> args)
    {
        bool quiet = false;
        string? final = null, against = null, attempts = null;
        var specs = new List<string>();
        for (int k = 0; k < args.Count; k++)
        {
            switch (args[k])
            {
                case "--quiet": quiet = true; break;
                case "--final": final = args[++k]; break;
                case "--against": against = args[++k]; break;
                case "--attempts": attempts = args[++k]; break;
                default: specs.Add(args[k]); break;
            }
        }
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
            var attemptTimes = new List<double>();
            long attemptStart = 0;
            if (attempts is not null && runner.Integrator is ImplicitIntegrator timedSteps)
            {
                // Added after the trace's handlers: an attempt's time includes printing its line (none with --quiet).
                void Ended()
                {
                    long now = Stopwatch.GetTimestamp();
                    attemptTimes.Add(Stopwatch.GetElapsedTime(attemptStart, now).TotalMilliseconds);
                    attemptStart = now;
                }
                timedSteps.StepAccepted += _ => Ended();
                timedSteps.StepRejected += (_, _, _) => Ended();
            }
            var clock = Stopwatch.StartNew();
            attemptStart = Stopwatch.GetTimestamp();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            double cpuStart = CpuClock.Process();
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
                + $"{clock.Elapsed.TotalSeconds:F2} s ({timed.Elapsed.TotalSeconds:F2} s in force evaluations, {timed.CpuSeconds:F2} s CPU), bound dipoles at the end {bound}");
            Console.WriteLine(
                $"outside force evaluations: {(clock.Elapsed - timed.Elapsed).TotalSeconds:F2} s wall, {CpuClock.Process() - cpuStart - timed.CpuSeconds:F2} s CPU; "
                + $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F1} MB, collections gen0/1/2 "
                + $"{GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}");
            if (runner.Integrator is ImplicitIntegrator accounted)
            {
                Console.WriteLine($"sum of the local errors (RMS per step): {accounted.LocalErrorSum:E2}");
                Console.WriteLine($"evaluations by cause: {accounted.Tally}");
            }
            if (attempts is not null)
            {
                File.WriteAllLines(attempts, attemptTimes.Select(t => t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            }
            var positions = result.FinalState.Positions;
            if (final is not null)
            {
                using var file = new BinaryWriter(File.Create(final));
                foreach (double x in positions.SelectMany(axis => axis))
                {
                    file.Write(x);
                }
            }
            if (against is not null)
            {
                using var file = new BinaryReader(File.OpenRead(against));
                double max = 0, sum = 0;
                long count = 0;
                int moving = spec.System.Mobility == MobilityType.Glide ? 1 : positions.Length;
                for (int a = 0; a < positions.Length; a++)
                {
                    foreach (double x in positions[a])
                    {
                        double d = Math.Abs(x - file.ReadDouble());
                        if (a < moving)
                        {
                            max = Math.Max(max, d);
                            sum += d * d;
                            count++;
                        }
                    }
                }
                Console.WriteLine($"final positions vs {against}: max |Δx| {max:E2}, RMS {Math.Sqrt(sum / count):E2}");
            }
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

    /// <summary>Process CPU seconds during the evaluations (the integrator's threads are idle then).</summary>
    public double CpuSeconds { get; private set; }

    public IDisposable? BeginAttempt() => inner.BeginAttempt();

    public IHelperThreads? HelperThreads => inner.HelperThreads;

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) => Timed(() => inner.Evaluate(state, velocity, withEnergy));

    public bool EvaluateKeepingFarField(ParticleState state, double[][] velocity) => Timed(() => inner.EvaluateKeepingFarField(state, velocity));

    private T Timed<T>(Func<T> evaluation)
    {
        double cpu = CpuClock.Process();
        _clock.Start();
        try
        {
            return evaluation();
        }
        finally
        {
            _clock.Stop();
            CpuSeconds += CpuClock.Process() - cpu;
        }
    }
}
