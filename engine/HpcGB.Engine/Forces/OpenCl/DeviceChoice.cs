using HpcGB.Engine.Spec;
using HpcGB.Interop.OpenCl;
using HpcGB.Interop.OpenCl.VkFft;

namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>
/// Turns <c>forces.device</c> and <c>forces.opencl</c> into the device the fast path runs on (null: the CPU).
/// A device that was asked for and cannot be used is a <see cref="SpecException"/> naming the field: the machine's
/// lack (no loader, driver or FFT shim) at <c>$.forces.device</c>, a wrong index or a device without double
/// precision at <c>$.forces.opencl</c>.
/// </summary>
public static class DeviceChoice
{
    public const string DevicePath = "$.forces.device";
    public const string OpenClPath = "$.forces.opencl";

    /// <summary>Why device "opencl" and method "reference" do not go together.</summary>
    public const string PmeOnly = "device \"opencl\" runs method \"pme\" only; use method \"pme\" or \"auto\", or device \"cpu\"";

    /// <summary>The device for a pme evaluation of <paramref name="particleCount"/> particles, or null for the CPU.</summary>
    /// <exception cref="SpecException">Device "opencl" and the device cannot be used.</exception>
    public static OpenClDevice? Resolve(ForcesSpec forces, int particleCount) => forces.Device switch
    {
        ForceDevice.OpenCl => Require(forces.OpenCl ?? new OpenClChoice(0, 0)),
        ForceDevice.Auto => particleCount >= ForcesSpec.OpenClCrossover ? FindGpu(forces.OpenCl) : null,
        _ => null,
    };

    /// <summary>The spec error for a device that cannot be used.</summary>
    public static SpecException ToSpecException(OpenClUnavailableException problem) =>
        new(problem.IsMachineProblem ? DevicePath : OpenClPath, problem.Message);

    private static OpenClDevice Require(OpenClChoice choice)
    {
        try
        {
            ClRealFft.EnsureAvailable();
            return OpenClPlatforms.Select(choice.Platform, choice.Device);
        }
        catch (OpenClUnavailableException e)
        {
            throw ToSpecException(e);
        }
    }

    /// <summary>For auto: the chosen device if it is an fp64 GPU, else the first fp64 GPU; null when there is none.</summary>
    private static OpenClDevice? FindGpu(OpenClChoice? choice)
    {
        if (!OpenClApi.IsAvailable || !ClRealFft.IsAvailable)
        {
            return null;
        }
        try
        {
            var gpus = OpenClPlatforms.Discover().Where(d => d.IsGpu && d.Fp64);
            return choice is null
                ? gpus.FirstOrDefault()
                : gpus.FirstOrDefault(d => d.Platform == choice.Platform && d.Index == choice.Device);
        }
        catch (OpenClException)
        {
            return null;
        }
    }
}
