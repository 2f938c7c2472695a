namespace HpcGB.Interop.OpenCl;

/// <summary>A kernel with its arguments; launched through <see cref="ClQueue.Launch"/>. Not thread-safe (arguments are state).</summary>
public sealed class ClKernel : IDisposable
{
    internal ClKernel(string name, ClKernelHandle handle)
    {
        Name = name;
        Handle = handle;
    }

    public string Name { get; }

    internal ClKernelHandle Handle { get; }

    /// <summary>Sets argument <paramref name="index"/> to a buffer.</summary>
    public unsafe ClKernel Set<T>(int index, ClBuffer<T> buffer)
        where T : unmanaged
    {
        nint mem = buffer.Handle.Value;
        ClStatus.ThrowIfFailed(OpenClApi.Api.SetKernelArg(Handle.Value, (uint)index, (nuint)sizeof(nint), &mem), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    /// <summary>Sets argument <paramref name="index"/> to a value (int, long, double …).</summary>
    public unsafe ClKernel SetValue<T>(int index, T value)
        where T : unmanaged
    {
        ClStatus.ThrowIfFailed(OpenClApi.Api.SetKernelArg(Handle.Value, (uint)index, (nuint)sizeof(T), &value), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    public void Dispose() => Handle.Dispose();
}
