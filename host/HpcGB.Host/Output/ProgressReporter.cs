using System.Globalization;
using HpcGB.Host.Cli;
using Spectre.Console;

namespace HpcGB.Host.Output;

/// <summary>
/// Shows a run's progress on stderr: a Spectre.Console bar with elapsed time and ETA when stderr is a terminal,
/// otherwise one plain line per output frame (t, energy, max speed, steps) that logs and CI keep readable.
/// </summary>
internal static class ProgressReporter
{
    /// <summary>Runs <paramref name="body"/>, giving it the callback to report each frame with.</summary>
    public static T Run<T>(CliConsole console, int frames, double endTime, Func<Action<FrameRecord>, T> body)
    {
        if (!console.Interactive)
        {
            return body(frame => console.Error.WriteLine(PlainLine(frame, frames)));
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        double total = endTime > 0 ? endTime : 1.0;
        return ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"frame 0/{frames}"), maxValue: total);
                return body(frame =>
                {
                    task.Description = Markup.Escape(
                        $"frame {frame.Index + 1}/{frames}  t={Format(frame.Time)}  E={Format(frame.Energy)}  " +
                        $"steps={frame.AcceptedSteps}");
                    task.Value = Math.Min(frame.Time, total);
                });
            });
    }

    /// <summary>The non-terminal progress line of one frame.</summary>
    public static string PlainLine(FrameRecord frame, int frames) => string.Create(
        CultureInfo.InvariantCulture,
        $"frame {frame.Index + 1}/{frames}  t={Format(frame.Time)}  energy={Format(frame.Energy)}  " +
        $"max_speed={Format(frame.MaxSpeed)}  steps={frame.AcceptedSteps} (+{frame.RejectedSteps} rejected)  " +
        $"evals={frame.ForceEvaluations}  wall={frame.WallSeconds:F2}s");

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
