using System.Runtime.InteropServices;

namespace HpcGB.Interop.OpenCl;

/// <summary>
/// A counted OpenCL object (context, queue, memory object, program, kernel): one SafeHandle type per kind, each
/// releasing its object with the matching <c>clRelease*</c> exactly once.
/// </summary>
public abstract class ClHandle : SafeHandle
{
    private protected ClHandle(nint value)
        : base(invalidHandleValue: 0, ownsHandle: true) => SetHandle(value);

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw handle for a call (valid while this object is alive and not disposed).</summary>
    internal nint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }
}

/// <summary>A <c>cl_context</c>.</summary>
public sealed class ClContextHandle(nint value) : ClHandle(value)
{
    protected override bool ReleaseHandle() => OpenClApi.Api.ReleaseContext(handle) == 0;
}

/// <summary>A <c>cl_command_queue</c>.</summary>
public sealed class ClQueueHandle(nint value) : ClHandle(value)
{
    protected override bool ReleaseHandle() => OpenClApi.Api.ReleaseCommandQueue(handle) == 0;
}

/// <summary>A <c>cl_mem</c>.</summary>
public sealed class ClMemHandle(nint value) : ClHandle(value)
{
    protected override bool ReleaseHandle() => OpenClApi.Api.ReleaseMemObject(handle) == 0;
}

/// <summary>A <c>cl_program</c>.</summary>
public sealed class ClProgramHandle(nint value) : ClHandle(value)
{
    protected override bool ReleaseHandle() => OpenClApi.Api.ReleaseProgram(handle) == 0;
}

/// <summary>A <c>cl_kernel</c>.</summary>
public sealed class ClKernelHandle(nint value) : ClHandle(value)
{
    protected override bool ReleaseHandle() => OpenClApi.Api.ReleaseKernel(handle) == 0;
}
