using HpcGB.Engine.Spec;
using HpcGB.Host.Service;
using HpcGB.Interop.Files;

namespace HpcGB.Host.Cli;

/// <summary>
/// Reads a spec file given on the command line. Only a regular file is read: a FIFO would block the open until
/// some writer comes and <c>/dev/zero</c> never ends, so both are refused by type before anything is opened. A particle
/// spec whose single force evaluation would take hours (2D poisson Fourier sums at tiny δ, reference sums over
/// millions of particles) is refused too, naming the cost.
/// </summary>
internal static class SpecLoader
{
    /// <summary>Force evaluations beyond this many pair interactions (hours on one machine) are refused.</summary>
    public const double MaxEvaluationWork = 1e12;

    /// <summary>Parses and validates <paramref name="path"/>; throws <see cref="SpecFileNotFoundException"/> or
    /// <see cref="SpecException"/> (both exit code 2).</summary>
    public static SimulationSpec Load(string path)
    {
        CheckFile(path);
        var spec = SpecReader.ParseFile(path);
        CheckCost(spec);
        return spec;
    }

    /// <summary>Parses and validates a spec of either model (particles or continuum).</summary>
    public static RunSpec LoadRun(string path)
    {
        CheckFile(path);
        var spec = SpecReader.ParseRunFile(path);
        if (spec is SimulationSpec particles)
        {
            CheckCost(particles);
        }
        return spec;
    }

    /// <summary>Refuses a spec whose one force evaluation is beyond <see cref="MaxEvaluationWork"/>.</summary>
    public static void CheckCost(SimulationSpec spec) =>
        AdmissionCost.CheckWork(spec, AdmissionCost.Particles(spec.Particles), MaxEvaluationWork, "what one machine computes in hours,");

    private static void CheckFile(string path)
    {
        var type = FileKind.Of(path);
        switch (type)
        {
            case FileType.Missing:
                throw new SpecFileNotFoundException($"spec file not found: {path}");
            case FileType.RegularFile or FileType.Unknown:
                return;
            default:
                throw new SpecFileNotFoundException($"spec file {path} is {FileKind.Describe(type)}, not a regular file");
        }
    }
}
