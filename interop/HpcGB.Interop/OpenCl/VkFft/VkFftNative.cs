using System.Runtime.InteropServices;

namespace HpcGB.Interop.OpenCl.VkFft;

/// <summary>P/Invoke into the shim <c>libhpcgb_vkfft.so</c> (hpcgb_vkfft.c), built with the interop project.</summary>
internal static partial class VkFftNative
{
    public const string Library = "hpcgb_vkfft";

    /// <summary>The shim's file name in the build output.</summary>
    public const string FileName = "libhpcgb_vkfft.so";

    [LibraryImport(Library, EntryPoint = "hpcgb_vkfft_version")]
    public static partial int Version();

    [LibraryImport(Library, EntryPoint = "hpcgb_vkfft_create")]
    public static partial int Create(nint platform, nint device, nint context, nint queue, int dimensions, ulong mesh,
        nint real, nint spectrum, out VkFftPlanHandle plan);

    [LibraryImport(Library, EntryPoint = "hpcgb_vkfft_forward")]
    public static partial int Forward(VkFftPlanHandle plan);

    [LibraryImport(Library, EntryPoint = "hpcgb_vkfft_inverse")]
    public static partial int Inverse(VkFftPlanHandle plan);

    [LibraryImport(Library, EntryPoint = "hpcgb_vkfft_destroy")]
    public static partial void Destroy(nint plan);
}

/// <summary>A shim plan; releasing it calls <c>hpcgb_vkfft_destroy</c>.</summary>
internal sealed class VkFftPlanHandle : SafeHandle
{
    public VkFftPlanHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        VkFftNative.Destroy(handle);
        return true;
    }
}
