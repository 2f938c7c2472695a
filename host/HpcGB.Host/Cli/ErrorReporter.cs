using System.Text.Json;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Host.Cli;

/// <summary>Turns an exception that escaped a command into one <c>error: …</c> line and an exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter stderr, bool verbose)
    {
        exception = RootCause(exception);
        switch (exception)
        {
            case SpecException spec:
                stderr.WriteLine($"error: {spec.Path}: {spec.Reason}");
                return ExitCodes.InvalidInput;
            case Engine.Distributed.SlabLimitException limit:
                stderr.WriteLine($"error: {limit.Message}");
                return ExitCodes.InvalidInput;
            case SpecFileNotFoundException missing:
                stderr.WriteLine($"error: {missing.Message}");
                return ExitCodes.InvalidInput;
            case JsonException json:
                stderr.WriteLine($"error: invalid JSON: {json.Message}");
                return ExitCodes.InvalidInput;
            case OperationCanceledException:
                stderr.WriteLine("error: cancelled");
                return ExitCodes.Cancelled;
            case NotSupportedException:
                // The engine cannot run this combination of settings (the message says which and what to use).
                stderr.WriteLine($"error: {exception.Message}");
                return ExitCodes.InvalidInput;
            case SimulationException or CollisionException or IOException or UnauthorizedAccessException or Interop.Mpi.MpiUnavailableException or OpenClException:
                stderr.WriteLine($"error: {exception.Message}");
                return ExitCodes.RuntimeFailure;
            case OutOfMemoryException or InsufficientExecutionStackException:
                stderr.WriteLine($"error: out of memory ({exception.Message}); try fewer particles or outputs");
                return ExitCodes.RuntimeFailure;
            default:
                stderr.WriteLine($"error: unexpected {exception.GetType().Name}: {exception.Message}");
                if (verbose)
                {
                    stderr.WriteLine(exception);
                }
                else
                {
                    stderr.WriteLine("(run with --verbose for the stack trace)");
                }
                return ExitCodes.RuntimeFailure;
        }
    }

    /// <summary>The exception that says what went wrong, unwrapped from reflection and task wrappers (PureHDF
    /// reports a full disk as a TargetInvocationException around the IOException).</summary>
    public static Exception RootCause(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                case TypeInitializationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    exception = aggregate.InnerExceptions[0];
                    break;
                default:
                    return exception;
            }
        }
    }
}

/// <summary>The spec file given on the command line does not exist or cannot be a spec (a FIFO, a device).</summary>
internal sealed class SpecFileNotFoundException(string message) : Exception(message);
