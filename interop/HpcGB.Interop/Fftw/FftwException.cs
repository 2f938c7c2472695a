namespace HpcGB.Interop.Fftw;

/// <summary>A failure reported by FFTW, e.g. a planner that returned NULL.</summary>
public class FftwException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public FftwException()
        : base("FFTW failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public FftwException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public FftwException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The FFTW native library could not be loaded; the message names the library and how to install it.</summary>
public sealed class FftwUnavailableException : FftwException
{
    /// <summary>Creates the exception with a default message for <c>libfftw3.so.3</c>.</summary>
    public FftwUnavailableException()
        : this(FftwLibrary.LibraryName)
    {
    }

    /// <summary>Creates the exception for the missing library <paramref name="libraryName"/>.</summary>
    public FftwUnavailableException(string libraryName)
        : base(MessageFor(libraryName))
    {
        LibraryName = libraryName;
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public FftwUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        LibraryName = FftwLibrary.LibraryName;
    }

    /// <summary>The library that was not found, e.g. <c>libfftw3.so.3</c>.</summary>
    public string LibraryName { get; }

    /// <summary>The message for a missing <paramref name="libraryName"/>.</summary>
    internal static string MessageFor(string libraryName) =>
        $"FFTW is not available: the native library '{libraryName}' was not found; " +
        $"install it with: apt-get install {FftwLibrary.DebianPackage} (Debian/Ubuntu)";
}
