namespace HpcGB.Host.Cli;

/// <summary>
/// Process exit codes of <c>hpcgb</c>. Expected failures print one <c>error: …</c> line on stderr and no stack trace.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure: the simulation failed (e.g. a collision under regularization "none"),
    /// an output could not be written, or an unexpected internal error (stack trace only with --verbose).</summary>
    public const int RuntimeFailure = 1;

    /// <summary>Invalid input: a bad spec (<c>error: $.path: reason</c>), a missing spec file, or bad CLI arguments.</summary>
    public const int InvalidInput = 2;

    /// <summary>Cancelled by Ctrl+C / SIGINT / SIGTERM (128 + SIGINT); outputs of the frames reached so far are kept.</summary>
    public const int Cancelled = 130;
}
