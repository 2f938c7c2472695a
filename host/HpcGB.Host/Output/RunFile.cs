using HpcGB.Engine.Spec;
using PureHDF;

namespace HpcGB.Host.Output;

/// <summary>What an output file of a run holds, told by its datasets rather than its name.</summary>
internal static class RunFile
{
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
