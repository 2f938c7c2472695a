namespace HpcGB.Interop.Fftw;

/// <summary>
/// An owned native array of <typeparamref name="T"/> (<see cref="double"/> for real meshes,
/// <see cref="System.Numerics.Complex"/> for spectra), aligned to 64 bytes as FFTW's SIMD code wants and zeroed at
/// allocation. <see cref="System.Numerics.Complex"/> has the layout of <c>fftw_complex</c> (real, imaginary).
/// </summary>
/// <remarks>
/// The memory lives outside the GC heap, so it never moves while FFTW runs on it. Dispose it deterministically;
/// a forgotten buffer is still freed by its SafeHandle's finalizer. A span taken from <see cref="Span"/> must not
/// outlive the buffer.
/// </remarks>
public sealed unsafe class FftwBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly FftwMemoryHandle _memory;

    /// <summary>Allocates a zeroed buffer of <paramref name="length"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public FftwBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _memory = new FftwMemoryHandle((nuint)length * (nuint)sizeof(T));
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _memory.IsClosed;

    /// <summary>The elements, read and written in place.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<T> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return new Span<T>(_memory.Pointer, Length);
        }
    }

    /// <summary>The native handle FFTW's functions take.</summary>
    internal FftwMemoryHandle Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory;
        }
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose() => _memory.Dispose();
}
