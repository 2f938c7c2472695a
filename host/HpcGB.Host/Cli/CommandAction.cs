using System.CommandLine;

namespace HpcGB.Host.Cli;

/// <summary>
/// Runs a command body on the thread pool and maps every exception to an exit code inside the returned task.
/// The task must be handed back to System.CommandLine at once: its Ctrl+C / SIGTERM handler is registered only
/// after the action returns its task, then cancels the token and waits (up to the termination timeout) for that
/// task to finish, so a run can still close its outputs. A task that faulted would break that wait, hence the
/// mapping here rather than in the caller.
/// </summary>
internal static class CommandAction
{
    public static Task<int> Run(
        CliConsole console, ParseResult parseResult, CancellationToken cancellationToken, Func<CancellationToken, int> body)
    {
        bool verbose = parseResult.GetValue(HpcgbCli.Verbose);
        return Task.Run(
            () =>
            {
                try
                {
                    return body(cancellationToken);
                }
                catch (Exception exception)
                {
                    return ErrorReporter.Report(exception, console.Error, verbose);
                }
            },
            CancellationToken.None);
    }
}
