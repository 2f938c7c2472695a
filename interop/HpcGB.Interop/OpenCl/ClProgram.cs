using System.Reflection;
using Silk.NET.OpenCL;

namespace HpcGB.Interop.OpenCl;

/// <summary>A program built for one context's device; kernels are created from it per user.</summary>
public sealed class ClProgram : IDisposable
{
    private ClProgram(ClContext context, string name, ClProgramHandle handle)
    {
        Context = context;
        Name = name;
        Handle = handle;
    }

    public ClContext Context { get; }

    public string Name { get; }

    internal ClProgramHandle Handle { get; }

    /// <summary>Compiles <paramref name="sources"/> (concatenated in order) with <paramref name="options"/>.</summary>
    /// <exception cref="OpenClBuildException">Compilation failed; the message holds the build log.</exception>
    public static unsafe ClProgram Build(ClContext context, string name, IReadOnlyList<string> sources, string options)
    {
        var cl = OpenClApi.Api;
        int status;
        nint program = cl.CreateProgramWithSource(context.Handle.Value, (uint)sources.Count, sources.ToArray(), null, &status);
        ClStatus.ThrowIfFailed(status, $"clCreateProgramWithSource({name})");
        var handle = new ClProgramHandle(program);
        nint device = context.Device.DeviceId;
        status = cl.BuildProgram(program, 1, &device, options, null, null);
        if (status != 0)
        {
            string log = BuildLog(cl, program, device);
            handle.Dispose();
            throw new OpenClBuildException(name, status, log);
        }
        return new ClProgram(context, name, handle);
    }

    /// <summary>The text of an embedded resource (a <c>.cl</c> source) of <paramref name="assembly"/>.</summary>
    public static string ReadSource(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded OpenCL source '{resourceName}' not found in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A new kernel object (its arguments are its own: one per user).</summary>
    public unsafe ClKernel CreateKernel(string kernelName)
    {
        int status;
        nint kernel = OpenClApi.Api.CreateKernel(Handle.Value, kernelName, &status);
        ClStatus.ThrowIfFailed(status, $"clCreateKernel({kernelName})");
        return new ClKernel(kernelName, new ClKernelHandle(kernel));
    }

    public void Dispose() => Handle.Dispose();

    private static unsafe string BuildLog(CL cl, nint program, nint device)
    {
        nuint size = 0;
        if (cl.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, 0, null, &size) != 0 || size == 0)
        {
            return "(no build log)";
        }
        var bytes = new byte[size];
        fixed (byte* p = bytes)
        {
            if (cl.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, size, p, null) != 0)
            {
                return "(no build log)";
            }
        }
        return OpenClPlatforms.Text(bytes);
    }
}
