using HpcGB.Engine.Spec;

namespace HpcGB.Host.Cli;

/// <summary>Reads a spec file given on the command line.</summary>
internal static class SpecLoader
{
    /// <summary>Parses and validates <paramref name="path"/>; throws <see cref="SpecFileNotFoundException"/> or
    /// <see cref="SpecException"/> (both exit code 2).</summary>
    public static SimulationSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecFileNotFoundException(path);
        }
        return SpecReader.ParseFile(path);
    }

    /// <summary>Parses and validates a spec of either model (particles or continuum).</summary>
    public static RunSpec LoadRun(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecFileNotFoundException(path);
        }
        return SpecReader.ParseRunFile(path);
    }
}
