using System.Diagnostics;
using System.Globalization;
using HpcGB.Host.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HpcGB.Host.Output;

/// <summary>
/// Shows a run's progress on stderr: a Spectre.Console bar over simulated time, moved at every integrator step, with
/// elapsed time and an ETA from the recent rate of simulated time (<see cref="SimulatedTimeRate"/>) when stderr is a
/// terminal; otherwise one plain line per output frame (t, energy, max speed, steps) that logs and CI keep readable.
/// </summary>
internal static class ProgressReporter
{
    /// <summary>How often the bar takes a sample of simulated time (the integrator may step far more often).</summary>
    private const double SampleSeconds = 0.2;

    /// <summary>
    /// Runs <paramref name="body"/>, giving it the callback to report each frame with and the one to report simulated
    /// time between frames. <paramref name="startTime"/> is where a resumed run starts.
    /// </summary>
    public static T Run<T>(
        CliConsole console, int frames, double endTime, double startTime, Func<Action<FrameRecord>, Action<double>, T> body)
    {
        if (!console.Interactive)
        {
            return body(frame => console.Error.WriteLine(PlainLine(frame, frames)), _ => { });
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        double total = endTime > 0 ? endTime : 1.0;
        var rate = new SimulatedTimeRate(total);
        var clock = Stopwatch.StartNew();
        double lastSample = double.NegativeInfinity;
        return ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new EtaColumn(rate),
                new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"frame 0/{frames}"), maxValue: total);
                task.Value = Math.Min(startTime, total);
                rate.Add(0, startTime);
                void Advance(double time)
                {
                    double wall = clock.Elapsed.TotalSeconds;
                    task.Value = Math.Min(time, total);
                    if (wall - lastSample >= SampleSeconds)
                    {
                        lock (rate)
                        {
                            rate.Add(wall, time);
                        }
                        lastSample = wall;
                    }
                }
                return body(
                    frame =>
                    {
                        task.Description = Markup.Escape(
                            $"frame {frame.Index + 1}/{frames}  t={Format(frame.Time)}  E={Format(frame.Energy)}  " +
                            $"steps={frame.AcceptedSteps}");
                        Advance(frame.Time);
                    },
                    Advance);
            });
    }

    /// <summary>The non-terminal progress line of one frame.</summary>
    public static string PlainLine(FrameRecord frame, int frames) => string.Create(
        CultureInfo.InvariantCulture,
        $"frame {frame.Index + 1}/{frames}  t={Format(frame.Time)}  energy={Format(frame.Energy)}  " +
        $"max_speed={Format(frame.MaxSpeed)}  steps={frame.AcceptedSteps} (+{frame.RejectedSteps} rejected)  " +
        $"evals={frame.ForceEvaluations}  wall={frame.WallSeconds:F2}s");

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>"ETA m:ss" from the recent rate of simulated time (Spectre's own column averages value per second).</summary>
    private sealed class EtaColumn(SimulatedTimeRate rate) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double? remaining;
            lock (rate)
            {
                remaining = task.IsFinished ? 0 : rate.Remaining;
            }
            string text = remaining is { } seconds && seconds < TimeSpan.MaxValue.TotalSeconds / 2
                ? TimeSpan.FromSeconds(Math.Ceiling(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture)
                : "-:--";
            return new Text($"ETA {text}", new Style(Color.Blue));
        }
    }
}
