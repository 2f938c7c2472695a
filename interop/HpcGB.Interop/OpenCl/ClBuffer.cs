namespace HpcGB.Interop.OpenCl;

/// <summary>A device buffer of <see cref="Length"/> elements of <typeparamref name="T"/>; reads and writes go through a <see cref="ClQueue"/>.</summary>
public sealed class ClBuffer<T> : IDisposable
    where T : unmanaged
{
    internal ClBuffer(ClMemHandle handle, long length)
    {
        Handle = handle;
        Length = length;
    }

    /// <summary>Elements (the allocation holds at least one).</summary>
    public long Length { get; }

    internal ClMemHandle Handle { get; }

    public void Dispose() => Handle.Dispose();
}
