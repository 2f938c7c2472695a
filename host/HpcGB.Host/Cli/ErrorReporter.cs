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
            case SimulationException or CollisionException or IOException or UnauthorizedAccessException or Interop.Mpi.MpiUnavailableException or OpenClException:
                stderr.WriteLine($"error: {exception.Message}");
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
}

/// <summary>The spec file given on the command line does not exist.</summary>
internal sealed class SpecFileNotFoundException(string path)
    : Exception($"spec file not found: {path}");
