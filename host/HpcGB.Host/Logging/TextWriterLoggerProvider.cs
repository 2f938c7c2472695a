using Microsoft.Extensions.Logging;

namespace HpcGB.Host.Logging;

/// <summary>
/// Writes log lines synchronously to one <see cref="TextWriter"/> (stderr for the CLI, a captured writer in tests):
/// <c>warn: Category[event]: message</c>. Synchronous on purpose, so log lines interleave correctly with progress
/// lines and error messages written to the same stream.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(this, ShortCategory(categoryName));

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }

    private static string ShortCategory(string category)
    {
        int dot = category.LastIndexOf('.');
        return dot >= 0 ? category[(dot + 1)..] : category;
    }

    private static string LevelTag(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class TextWriterLogger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Filtering by level is done by the logging framework (configured minimum level).
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            string message = formatter(state, exception);
            string line = $"{LevelTag(logLevel)}: {category}: {message}";
            if (exception is not null)
            {
                line += Environment.NewLine + exception;
            }
            provider.Write(line);
        }
    }
}
