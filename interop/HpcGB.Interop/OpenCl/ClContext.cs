using System.Collections.Concurrent;
using Silk.NET.OpenCL;

namespace HpcGB.Interop.OpenCl;

/// <summary>
/// A context on one device, with its built programs cached by (name, options): every evaluator on the device
/// shares it (<see cref="Shared"/>), so each program compiles once per process. Queues, buffers and kernels
/// belong to their users.
/// </summary>
public sealed class ClContext : IDisposable
{
    private static readonly ConcurrentDictionary<(nint Platform, nint Device), Lazy<ClContext>> s_shared = new();
    private readonly ConcurrentDictionary<(string Name, string Options), Lazy<ClProgram>> _programs = new();

    private unsafe ClContext(OpenClDevice device)
    {
        Device = device;
        var cl = OpenClApi.Api;
        nint id = device.DeviceId;
        int status;
        nint context = cl.CreateContext(null, 1, &id, null, null, &status);
        ClStatus.ThrowIfFailed(status, "clCreateContext");
        Handle = new ClContextHandle(context);
    }

    public OpenClDevice Device { get; }

    internal ClContextHandle Handle { get; }

    /// <summary>The process-wide context of <paramref name="device"/>, created on first use.</summary>
    public static ClContext Shared(OpenClDevice device) =>
        s_shared.GetOrAdd((device.PlatformId, device.DeviceId), _ => new Lazy<ClContext>(() => new ClContext(device))).Value;

    /// <summary>
    /// The program built from <paramref name="sources"/> with <paramref name="options"/>, cached under
    /// (<paramref name="name"/>, options): the sources of one name must not change within a process.
    /// </summary>
    /// <exception cref="OpenClBuildException">The program did not compile; the message holds the build log.</exception>
    public ClProgram Program(string name, IReadOnlyList<string> sources, string options) =>
        _programs.GetOrAdd((name, options), key => new Lazy<ClProgram>(() => ClProgram.Build(this, name, sources, options))).Value;

    /// <summary>A new in-order queue on the device.</summary>
    public ClQueue CreateQueue() => new(this);

    /// <summary>A device buffer of <paramref name="length"/> elements (at least one, so that empty systems work).</summary>
    public unsafe ClBuffer<T> CreateBuffer<T>(long length)
        where T : unmanaged
    {
        long count = Math.Max(1, length);
        long bytes = count * sizeof(T);
        if (bytes > Device.MaxAllocationBytes)
        {
            throw new OpenClException(
                $"a buffer of {bytes} bytes exceeds the device's largest allocation ({Device.MaxAllocationBytes} bytes) on {Device.Description}");
        }
        int status;
        nint mem = OpenClApi.Api.CreateBuffer(Handle.Value, MemFlags.ReadWrite, (nuint)bytes, null, &status);
        ClStatus.ThrowIfFailed(status, $"clCreateBuffer({bytes} bytes)");
        return new ClBuffer<T>(new ClMemHandle(mem), length);
    }

    public void Dispose()
    {
        foreach (var program in _programs.Values)
        {
            if (program.IsValueCreated)
            {
                program.Value.Dispose();
            }
        }
        Handle.Dispose();
    }
}
