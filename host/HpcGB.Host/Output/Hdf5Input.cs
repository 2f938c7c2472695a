using HpcGB.Engine.Spec;
using PureHDF;
using PureHDF.VOL.Native;

namespace HpcGB.Host.Output;

/// <summary>Opening an output file for reading, with the defects a user can cause reported as input errors.</summary>
internal static class Hdf5Input
{
    /// <summary>
    /// Opens <paramref name="path"/> and hands it to <paramref name="read"/>, which owns it from then on; a missing or
    /// unreadable file is a <see cref="SpecException"/> (<paramref name="what"/> names the kind of file), and the file
    /// is closed again when <paramref name="read"/> throws.
    /// </summary>
    public static T Open<T>(string path, string what, Func<NativeFile, T> read)
    {
        if (!File.Exists(path))
        {
            throw new SpecException(path, $"{what} file not found");
        }
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new SpecException(path, $"not a readable HDF5 file ({exception.Message})");
        }
        try
        {
            return read(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
