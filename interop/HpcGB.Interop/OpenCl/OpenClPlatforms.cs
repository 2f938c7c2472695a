using System.Text;
using Silk.NET.OpenCL;

namespace HpcGB.Interop.OpenCl;

/// <summary>Discovery of the OpenCL platforms and their devices, and the checked choice of one device.</summary>
public static class OpenClPlatforms
{
    /// <summary>Every device of every platform, in platform then device order (empty when there is no platform).</summary>
    /// <exception cref="OpenClUnavailableException">No ICD loader.</exception>
    public static IReadOnlyList<OpenClDevice> Discover()
    {
        var cl = OpenClApi.Api;
        var devices = new List<OpenClDevice>();
        var platforms = PlatformIds(cl);
        for (int p = 0; p < platforms.Length; p++)
        {
            string platformName = PlatformString(cl, platforms[p], PlatformInfo.Name);
            var ids = DeviceIds(cl, platforms[p]);
            for (int d = 0; d < ids.Length; d++)
            {
                devices.Add(Describe(cl, p, d, platformName, platforms[p], ids[d]));
            }
        }
        return devices;
    }

    /// <summary>
    /// Device <paramref name="device"/> of platform <paramref name="platform"/>, checked for double precision.
    /// </summary>
    /// <exception cref="OpenClUnavailableException">
    /// No loader, no such platform or device (the message lists what exists), or no cl_khr_fp64.
    /// </exception>
    public static OpenClDevice Select(int platform, int device)
    {
        var all = Discover();
        if (all.Count == 0)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoPlatform,
                "no OpenCL platform is installed (the loader found no driver); install one, e.g. apt-get install pocl-opencl-icd");
        }
        int platformCount = all.Max(d => d.Platform) + 1;
        if (platform < 0 || platform >= platformCount)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoSuchPlatform, $"no OpenCL platform {platform}: there {(platformCount == 1 ? "is 1 platform" : $"are {platformCount} platforms")} (see hpcgb info)");
        }
        var onPlatform = all.Where(d => d.Platform == platform).ToArray();
        if (device < 0 || device >= onPlatform.Length)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoSuchDevice,
                $"no OpenCL device {device} on platform {platform} ({onPlatform.FirstOrDefault()?.PlatformName ?? "no devices"}): it has {onPlatform.Length} (see hpcgb info)");
        }
        var chosen = onPlatform[device];
        if (!chosen.Fp64)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoDoublePrecision,
                $"OpenCL device {platform}/{device} {chosen.Description} has no double precision (cl_khr_fp64), which HpcGB needs");
        }
        return chosen;
    }

    private static unsafe nint[] PlatformIds(CL cl)
    {
        uint count = 0;
        int status = cl.GetPlatformIDs(0, null, &count);
        if (status == -1001 || count == 0)
        {
            return []; // CL_PLATFORM_NOT_FOUND_KHR: a loader without drivers.
        }
        ClStatus.ThrowIfFailed(status, "clGetPlatformIDs");
        var ids = new nint[count];
        fixed (nint* p = ids)
        {
            ClStatus.ThrowIfFailed(cl.GetPlatformIDs(count, p, null), "clGetPlatformIDs");
        }
        return ids;
    }

    private static unsafe nint[] DeviceIds(CL cl, nint platform)
    {
        uint count = 0;
        int status = cl.GetDeviceIDs(platform, DeviceType.All, 0, null, &count);
        if (status == -1 || count == 0)
        {
            return []; // CL_DEVICE_NOT_FOUND
        }
        ClStatus.ThrowIfFailed(status, "clGetDeviceIDs");
        var ids = new nint[count];
        fixed (nint* p = ids)
        {
            ClStatus.ThrowIfFailed(cl.GetDeviceIDs(platform, DeviceType.All, count, p, null), "clGetDeviceIDs");
        }
        return ids;
    }

    private static OpenClDevice Describe(CL cl, int platform, int index, string platformName, nint platformId, nint id)
    {
        var type = (DeviceType)DeviceValue<ulong>(cl, id, DeviceInfo.Type);
        string extensions = DeviceString(cl, id, DeviceInfo.Extensions);
        return new OpenClDevice(
            platform,
            index,
            platformName,
            DeviceString(cl, id, DeviceInfo.Name),
            DeviceString(cl, id, DeviceInfo.Vendor),
            DeviceString(cl, id, DeviceInfo.DriverVersion),
            DeviceString(cl, id, DeviceInfo.Version),
            type.HasFlag(DeviceType.Gpu) ? "gpu" : type.HasFlag(DeviceType.Cpu) ? "cpu" : type.HasFlag(DeviceType.Accelerator) ? "accelerator" : "other",
            extensions.Split(' ').Contains("cl_khr_fp64"),
            (long)DeviceValue<ulong>(cl, id, DeviceInfo.GlobalMemSize),
            (long)DeviceValue<ulong>(cl, id, DeviceInfo.MaxMemAllocSize),
            (int)DeviceValue<uint>(cl, id, DeviceInfo.MaxComputeUnits),
            (int)DeviceValue<nuint>(cl, id, DeviceInfo.MaxWorkGroupSize))
        {
            PlatformId = platformId,
            DeviceId = id,
        };
    }

    private static unsafe T DeviceValue<T>(CL cl, nint device, DeviceInfo info)
        where T : unmanaged
    {
        T value = default;
        ClStatus.ThrowIfFailed(cl.GetDeviceInfo(device, info, (nuint)sizeof(T), &value, null), $"clGetDeviceInfo({info})");
        return value;
    }

    private static unsafe string DeviceString(CL cl, nint device, DeviceInfo info)
    {
        nuint size = 0;
        ClStatus.ThrowIfFailed(cl.GetDeviceInfo(device, info, 0, null, &size), $"clGetDeviceInfo({info})");
        var bytes = new byte[size];
        fixed (byte* p = bytes)
        {
            ClStatus.ThrowIfFailed(cl.GetDeviceInfo(device, info, size, p, null), $"clGetDeviceInfo({info})");
        }
        return Text(bytes);
    }

    private static unsafe string PlatformString(CL cl, nint platform, PlatformInfo info)
    {
        nuint size = 0;
        ClStatus.ThrowIfFailed(cl.GetPlatformInfo(platform, info, 0, null, &size), $"clGetPlatformInfo({info})");
        var bytes = new byte[size];
        fixed (byte* p = bytes)
        {
            ClStatus.ThrowIfFailed(cl.GetPlatformInfo(platform, info, size, p, null), $"clGetPlatformInfo({info})");
        }
        return Text(bytes);
    }

    /// <summary>A NUL-terminated CL string, trimmed.</summary>
    internal static string Text(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes).Trim();
    }
}
