namespace HpcGB.Host.Cli;

/// <summary>
/// Output files that could not be written completely (disk full, I/O error) are no results: the incomplete file is
/// removed and the failure becomes one <see cref="IOException"/> line naming the file and the cause.
/// </summary>
internal static class OutputGuard
{
    /// <summary>Whether <paramref name="exception"/> (or what it wraps) is a failure to write a file.</summary>
    public static bool IsWriteFailure(Exception exception) => ErrorReporter.RootCause(exception) is IOException or UnauthorizedAccessException;

    /// <summary>Removes <paramref name="path"/> and says so; to be thrown in place of <paramref name="failure"/>.</summary>
    public static IOException Removed(string path, Exception failure)
    {
        var cause = ErrorReporter.RootCause(failure);
        string removed;
        try
        {
            File.Delete(path);
            removed = "the incomplete file was removed";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            removed = $"the incomplete file could not be removed either ({ex.Message})";
        }
        return new IOException($"cannot write {path}: {cause.Message.TrimEnd('.')}; {removed}", cause);
    }

    /// <summary>Runs <paramref name="write"/>; on a write failure removes <paramref name="path"/> and throws <see cref="Removed"/>.</summary>
    public static void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception exception) when (IsWriteFailure(exception))
        {
            throw Removed(path, exception);
        }
    }
}
