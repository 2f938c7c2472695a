using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>An <c>fftw_plan</c>; releasing it calls <c>fftw_destroy_plan</c> under the planner lock.</summary>
internal sealed class FftwPlanHandle : SafeHandle
{
    /// <summary>Used by the P/Invoke marshaller for the plan functions' return value.</summary>
    public FftwPlanHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    /// <summary>True for the NULL plan FFTW returns when it cannot plan a transform.</summary>
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        // fftw_destroy_plan touches the planner's shared state, like the planner itself.
        lock (FftwLibrary.PlannerLock)
        {
            FftwNative.DestroyPlan(handle);
        }
        return true;
    }
}
