using Silk.NET.OpenCL;

namespace HpcGB.Interop.OpenCl;

/// <summary>An in-order command queue: buffer transfers, fills and kernel launches, each checked.</summary>
public sealed class ClQueue : IDisposable
{
    internal unsafe ClQueue(ClContext context)
    {
        Context = context;
        int status;
        nint queue = OpenClApi.Api.CreateCommandQueue(context.Handle.Value, context.Device.DeviceId, CommandQueueProperties.None, &status);
        ClStatus.ThrowIfFailed(status, "clCreateCommandQueue");
        Handle = new ClQueueHandle(queue);
    }

    public ClContext Context { get; }

    internal ClQueueHandle Handle { get; }

    /// <summary>Copies <paramref name="host"/> into the start of <paramref name="device"/> (blocking).</summary>
    public unsafe void Write<T>(ClBuffer<T> device, ReadOnlySpan<T> host)
        where T : unmanaged
    {
        CheckLength(device, host.Length);
        if (host.IsEmpty)
        {
            return;
        }
        fixed (T* p = host)
        {
            ClStatus.ThrowIfFailed(OpenClApi.Api.EnqueueWriteBuffer(Handle.Value, device.Handle.Value, true, 0,
                (nuint)(host.Length * sizeof(T)), p, 0, null, null), "clEnqueueWriteBuffer");
        }
    }

    /// <summary>Copies the start of <paramref name="device"/> into <paramref name="host"/> (blocking).</summary>
    public unsafe void Read<T>(ClBuffer<T> device, Span<T> host)
        where T : unmanaged
    {
        CheckLength(device, host.Length);
        if (host.IsEmpty)
        {
            return;
        }
        fixed (T* p = host)
        {
            ClStatus.ThrowIfFailed(OpenClApi.Api.EnqueueReadBuffer(Handle.Value, device.Handle.Value, true, 0,
                (nuint)(host.Length * sizeof(T)), p, 0, null, null), "clEnqueueReadBuffer");
        }
    }

    /// <summary>Sets the first <paramref name="count"/> elements of <paramref name="device"/> to <paramref name="value"/>.</summary>
    public unsafe void Fill<T>(ClBuffer<T> device, T value, long count)
        where T : unmanaged
    {
        CheckLength(device, count);
        if (count == 0)
        {
            return;
        }
        ClStatus.ThrowIfFailed(OpenClApi.Api.EnqueueFillBuffer(Handle.Value, device.Handle.Value, &value, (nuint)sizeof(T), 0,
            (nuint)(count * sizeof(T)), 0, null, null), "clEnqueueFillBuffer");
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> on <paramref name="global"/> work-items (1D; nothing for 0), in work-groups of
    /// <paramref name="local"/> (0: the driver's choice; otherwise the global size is rounded up to a multiple, and
    /// the kernel must ignore the extra items).
    /// </summary>
    public unsafe void Launch(ClKernel kernel, long global, int local = 0)
    {
        if (global <= 0)
        {
            return;
        }
        nuint globalSize = (nuint)(local > 0 ? (global + local - 1) / local * local : global);
        nuint localSize = (nuint)local;
        ClStatus.ThrowIfFailed(OpenClApi.Api.EnqueueNdrangeKernel(Handle.Value, kernel.Handle.Value, 1, null, &globalSize,
            local > 0 ? &localSize : null, 0, null, null), $"clEnqueueNDRangeKernel({kernel.Name})");
    }

    /// <summary>Waits until every command issued so far has finished.</summary>
    public void Finish() => ClStatus.ThrowIfFailed(OpenClApi.Api.Finish(Handle.Value), "clFinish");

    public void Dispose() => Handle.Dispose();

    private static void CheckLength<T>(ClBuffer<T> device, long count)
        where T : unmanaged
    {
        if (count > device.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the device buffer holds {device.Length} elements");
        }
    }
}
