using HpcGB.Engine.Spec;
using PureHDF;

namespace HpcGB.Host.Output;

/// <summary>What an output file of a run holds, told by its datasets rather than its name.</summary>
internal static class RunFile
{
    public const string Trajectory = "trajectory.h5";

    public const string Continuum = "continuum.h5";

    /// <summary>The trajectory.h5 or continuum.h5 that <paramref name="path"/> names or, as a run directory, holds.</summary>
    public static string Locate(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }
        if (!Directory.Exists(path))
        {
            throw new SpecException(path, "no such run directory or file");
        }
        foreach (string name in new[] { Trajectory, Continuum })
        {
            string candidate = Path.Combine(path, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new SpecException(path, $"holds neither {Trajectory} nor {Continuum}");
    }

    /// <summary>True for a continuum.h5 (datasets /positive, /negative), false for a trajectory.h5 (/positions).</summary>
    public static bool IsContinuum(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecException(path, "file not found");
        }
        try
        {
            using var file = H5File.OpenRead(path);
            return file.LinkExists("positive") && !file.LinkExists("positions");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new SpecException(path, $"not a readable HDF5 file ({exception.Message})");
        }
    }
}
