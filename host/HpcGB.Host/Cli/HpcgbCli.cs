using System.CommandLine;

namespace HpcGB.Host.Cli;

/// <summary>
/// The <c>hpcgb</c> command line: <c>run</c>, <c>resume</c>, <c>demo</c>, <c>forces</c>, <c>info</c>, <c>serve</c>,
/// <c>experiment</c>, <c>distance</c>, <c>sweep</c>, <c>movie</c>, <c>dipoles</c>. The entry point takes its streams as arguments so that tests drive the whole CLI in-process with
/// captured writers.
/// </summary>
public static class HpcgbCli
{
    /// <summary>Global switch: Information-level logs on stderr (default: warnings and errors only).</summary>
    internal static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log progress details (Information level) to stderr",
        Recursive = true,
    };

    /// <summary>Runs the CLI with captured writers (no progress bar, no signal handlers); returns the exit code.</summary>
    public static int Invoke(string[] args, TextWriter stdout, TextWriter stderr) =>
        InvokeAsync(args, CliConsole.Captured(stdout, stderr)).GetAwaiter().GetResult();

    /// <summary>Parses <paramref name="args"/>, runs the chosen command and maps failures to <see cref="ExitCodes"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(console);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }
            console.Error.WriteLine("Run 'hpcgb --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the token; the run then finishes its outputs for the frames reached (see ExitCodes.Cancelled).
            ProcessTerminationTimeout = console.HandleTermination ? TimeSpan.FromSeconds(30) : null,
        };
        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception, console.Error, parseResult.GetValue(Verbose));
        }
    }

    internal static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand(
            "HpcGB: signed particle systems on the flat unit torus (Garroni, van Meurs, Peletier, Scardia).")
        {
            RunCommand.Create(console),
            ResumeCommand.Create(console),
            DemoCommand.Create(console),
            ForcesCommand.Create(console),
            InfoCommand.Create(console),
            ServeCommand.Create(console),
            ExperimentCommand.Create(console),
            DistanceCommand.Create(console),
            SweepCommand.Create(console),
            MovieCommand.Create(console),
            DipolesCommand.Create(console),
            WisdomCommand.Create(console),
        };
        root.Options.Add(Verbose);
        return root;
    }
}
