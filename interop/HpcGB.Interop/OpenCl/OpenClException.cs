namespace HpcGB.Interop.OpenCl;

/// <summary>An OpenCL call failed; the message names the call and the status (e.g. <c>CL_OUT_OF_RESOURCES</c>).</summary>
public class OpenClException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OpenClException()
        : base("OpenCL failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public OpenClException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public OpenClException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="call"/> returning <paramref name="status"/>.</summary>
    public OpenClException(string call, int status)
        : base($"OpenCL {call} failed: {ClStatus.Name(status)} ({status})")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The failing call, e.g. <c>clEnqueueNDRangeKernel(near_field)</c>, when known.</summary>
    public string? Call { get; }

    /// <summary>The CL status code (0 when the failure did not come from a status).</summary>
    public int Status { get; }
}

/// <summary>What makes OpenCL unusable for HpcGB on a machine or for a chosen device.</summary>
public enum OpenClProblem
{
    /// <summary>No ICD loader (<c>libOpenCL.so.1</c>).</summary>
    NoLoader,

    /// <summary>A loader without any platform (driver).</summary>
    NoPlatform,

    /// <summary>The VkFFT shim was not built.</summary>
    NoFft,

    /// <summary>The chosen platform index does not exist.</summary>
    NoSuchPlatform,

    /// <summary>The chosen device index does not exist on its platform.</summary>
    NoSuchDevice,

    /// <summary>The chosen device lacks cl_khr_fp64.</summary>
    NoDoublePrecision,
}

/// <summary>
/// OpenCL cannot be used here: no ICD loader (<c>libOpenCL.so.1</c>), no platform, no FFT shim, no such device, or a
/// device without double precision (<see cref="Problem"/>). The message says which and what to install or choose.
/// </summary>
public sealed class OpenClUnavailableException : OpenClException
{
    /// <summary>Creates the exception for a missing loader.</summary>
    public OpenClUnavailableException()
        : base(LoaderMissingMessage)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> (problem: no loader).</summary>
    public OpenClUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause (problem: no loader).</summary>
    public OpenClUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="problem"/>.</summary>
    public OpenClUnavailableException(OpenClProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    /// <summary>Which check failed.</summary>
    public OpenClProblem Problem { get; }

    /// <summary>True when the machine lacks something (loader, driver, FFT), false when the choice of device is wrong.</summary>
    public bool IsMachineProblem => Problem is OpenClProblem.NoLoader or OpenClProblem.NoPlatform or OpenClProblem.NoFft;

    /// <summary>The message for a missing ICD loader.</summary>
    public const string LoaderMissingMessage =
        $"OpenCL is not available: the ICD loader '{OpenClApi.LoaderName}' was not found; install it and a driver, " +
        $"e.g. apt-get install {OpenClApi.DebianPackages} (Debian/Ubuntu; PoCL runs OpenCL on the CPU)";
}

/// <summary>A program did not compile; the message carries the device's build log.</summary>
public sealed class OpenClBuildException : OpenClException
{
    /// <summary>Creates the exception with a default message.</summary>
    public OpenClBuildException()
        : base("an OpenCL program did not build")
    {
        BuildLog = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public OpenClBuildException(string message)
        : base(message)
    {
        BuildLog = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public OpenClBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
        BuildLog = "";
    }

    /// <summary>Creates the exception for program <paramref name="program"/> with the build status and log.</summary>
    public OpenClBuildException(string program, int status, string buildLog)
        : base($"OpenCL program '{program}' did not build: {ClStatus.Name(status)} ({status}); build log:{Environment.NewLine}{buildLog.Trim()}")
    {
        BuildLog = buildLog;
    }

    /// <summary>The compiler's output for the device.</summary>
    public string BuildLog { get; }
}
