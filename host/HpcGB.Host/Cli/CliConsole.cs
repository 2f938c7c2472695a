namespace HpcGB.Host.Cli;

/// <summary>The streams one CLI invocation writes to, and whether a person is watching stderr.</summary>
/// <param name="Out">Results: tables, JSON, the output directory.</param>
/// <param name="Error">Errors, log lines and progress.</param>
/// <param name="Interactive">True when stderr is a terminal: progress is a Spectre.Console bar with ETA;
/// otherwise one plain line per output frame.</param>
/// <param name="HandleTermination">True when Ctrl+C / SIGTERM should cancel the command (the real process only;
/// tests leave the process's signal handling alone).</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool Interactive, bool HandleTermination)
{
    /// <summary>The process's own console.</summary>
    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, Interactive: !Console.IsErrorRedirected, HandleTermination: true);

    /// <summary>Captured writers (tests, embedding): plain progress lines, no signal handlers.</summary>
    public static CliConsole Captured(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, Interactive: false, HandleTermination: false);
}
