using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// A zeroed native block aligned to <see cref="Alignment"/> bytes, freed with <see cref="NativeMemory.AlignedFree"/>.
/// </summary>
/// <remarks>
/// 64 bytes is at least the SIMD alignment of every FFTW build (SSE2 16, AVX 32, AVX-512 64), so every block has
/// <c>fftw_alignment_of(p) == 0</c>; that is what lets one plan execute on any of them with the new-array functions.
/// The block does not need FFTW to be loaded, and reports its size to the GC so that forgotten buffers are collected.
/// </remarks>
internal sealed unsafe class FftwMemoryHandle : SafeHandle
{
    /// <summary>The alignment of every block, in bytes.</summary>
    internal const int Alignment = 64;

    private readonly long _byteCount;

    /// <summary>Allocates and zeroes <paramref name="byteCount"/> bytes (at least one).</summary>
    internal FftwMemoryHandle(nuint byteCount)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        nuint size = byteCount == 0 ? 1 : byteCount;
        void* block = NativeMemory.AlignedAlloc(size, Alignment);
        NativeMemory.Clear(block, size);
        SetHandle((nint)block);
        _byteCount = (long)size;
        GC.AddMemoryPressure(_byteCount);
    }

    /// <summary>True before allocation and after release.</summary>
    public override bool IsInvalid => handle == 0;

    /// <summary>The block's address; valid only while the handle is open.</summary>
    internal void* Pointer => (void*)handle;

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        GC.RemoveMemoryPressure(_byteCount);
        return true;
    }
}
