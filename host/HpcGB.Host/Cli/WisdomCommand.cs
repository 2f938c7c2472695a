using System.CommandLine;
using HpcGB.Engine.Forces.Pme;
using HpcGB.Interop.Fftw;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb wisdom FILE --mesh M … [--threads K]</c>: measures the FFT plans that 2D PME meshes of these sizes make
/// on K threads and stores them as FFTW wisdom in FILE (<see cref="MeshWisdom"/>); runs with
/// <c>HPCGB_FFTW_WISDOM=FILE</c> then plan those meshes from it, without timing anything (docs/spec.md).
/// </summary>
internal static class WisdomCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = $"The wisdom file to write (runs load it with {MeshWisdom.Variable}=FILE)" };
        var meshes = new Option<int[]>("--mesh", "-m")
        {
            Description = "Mesh points per axis of the 2D meshes to plan (the sizes `hpcgb forces --json` reports)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Threads of the runs that will load it (default: the processor count, as runs use)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("wisdom", $"Measure the FFT plans of PME meshes once and store them for {MeshWisdom.Variable}")
        {
            file,
            meshes,
            threads,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, _ =>
        {
            string path = parseResult.GetValue(file)!;
            int[] sizes = parseResult.GetValue(meshes)!;
            int threadCount = parseResult.GetValue(threads);
            if (threadCount < 1)
            {
                console.Error.WriteLine($"error: --threads: {threadCount} must be at least 1");
                return ExitCodes.InvalidInput;
            }
            if (sizes.Length == 0 || sizes.Any(m => m < 2 || (long)m * m > Engine.Forces.Ewald.EwaldParameters.MaxMeshPoints))
            {
                console.Error.WriteLine($"error: --mesh: sizes must lie in 2 … {(int)Math.Sqrt(Engine.Forces.Ewald.EwaldParameters.MaxMeshPoints)} (got {string.Join(", ", sizes)})");
                return ExitCodes.InvalidInput;
            }
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                MeshWisdom.Measure(path, 2, sizes, threadCount);
            }
            catch (FftwException exception)
            {
                throw new IOException(exception.Message, exception);
            }
            console.Out.WriteLine($"wisdom for M = {string.Join(", ", sizes)} on {threadCount} thread(s) written to {Path.GetFullPath(path)} " +
                $"({System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s); use it with {MeshWisdom.Variable}={path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
