namespace HpcGB.Interop.OpenCl;

/// <summary>One OpenCL device as <c>hpcgb info</c> and the outputs describe it.</summary>
/// <param name="Platform">Index of its platform in <see cref="OpenClPlatforms.Discover"/> order.</param>
/// <param name="Index">Index of the device within its platform.</param>
/// <param name="PlatformName">CL_PLATFORM_NAME, e.g. "Portable Computing Language".</param>
/// <param name="Name">CL_DEVICE_NAME.</param>
/// <param name="Vendor">CL_DEVICE_VENDOR.</param>
/// <param name="Driver">CL_DRIVER_VERSION.</param>
/// <param name="Version">CL_DEVICE_VERSION, e.g. "OpenCL 3.0 PoCL …".</param>
/// <param name="Type">"gpu", "cpu", "accelerator" or "other".</param>
/// <param name="Fp64">True when the device has cl_khr_fp64 (double precision), which HpcGB needs.</param>
/// <param name="GlobalMemoryBytes">CL_DEVICE_GLOBAL_MEM_SIZE.</param>
/// <param name="MaxAllocationBytes">CL_DEVICE_MAX_MEM_ALLOC_SIZE: the largest single buffer.</param>
/// <param name="ComputeUnits">CL_DEVICE_MAX_COMPUTE_UNITS.</param>
/// <param name="MaxWorkGroupSize">CL_DEVICE_MAX_WORK_GROUP_SIZE.</param>
public sealed record OpenClDevice(
    int Platform,
    int Index,
    string PlatformName,
    string Name,
    string Vendor,
    string Driver,
    string Version,
    string Type,
    bool Fp64,
    long GlobalMemoryBytes,
    long MaxAllocationBytes,
    int ComputeUnits,
    int MaxWorkGroupSize)
{
    /// <summary>The native platform id (not reference counted).</summary>
    internal nint PlatformId { get; init; }

    /// <summary>The native device id (root devices are not reference counted).</summary>
    internal nint DeviceId { get; init; }

    /// <summary>True for a GPU.</summary>
    public bool IsGpu => Type == "gpu";

    /// <summary>"name (vendor, driver version)", for logs and messages.</summary>
    public string Description => $"{Name} ({Vendor}, driver {Driver})";
}
