using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Forces;

/// <summary>The one place that turns a model and a <c>forces</c> block into an evaluator.</summary>
public static class ForceEvaluatorFactory
{
    /// <summary>
    /// <c>reference</c>: the case's reference (exact wall sums, or Fourier sums for 2D poisson). <c>pme</c>: near
    /// field + smooth PME with parameters chosen for <see cref="ForcesSpec.Tolerance"/> and
    /// <paramref name="particleCount"/> particles. <c>auto</c>: the reference below
    /// <see cref="ForcesSpec.AutoCrossover"/> particles and wherever the fast path cannot be used, PME otherwise.
    /// PME runs on the CPU or, by <see cref="ForcesSpec.Device"/>, on an OpenCL device (<see cref="DeviceChoice"/>);
    /// with device <c>opencl</c>, <c>auto</c> takes PME at any n where the fast path applies (the reference, on the CPU,
    /// elsewhere), and <c>reference</c> is refused.
    /// </summary>
    /// <exception cref="SpecException">
    /// <c>pme</c> where the case has no fast path or it cannot meet the tolerance (<c>$.forces.method</c>), a forced
    /// SIMD path this machine lacks (<c>$.forces.simd</c>), or an OpenCL device that cannot be used
    /// (<c>$.forces.device</c>, <c>$.forces.opencl</c>).
    /// </exception>
    public static IForceEvaluator Create(SystemModel model, ForcesSpec forces, int particleCount)
    {
        var kase = KernelCases.For(model);
        var method = forces.Method;
        if (method == ForceMethod.Auto)
        {
            // Asked for a device, auto uses it at any n where the fast path applies.
            method = (particleCount >= ForcesSpec.AutoCrossover || forces.Device == ForceDevice.OpenCl)
                && FastPathApplies(kase, model, particleCount, forces.Tolerance)
                ? ForceMethod.Pme
                : ForceMethod.Reference;
        }
        else if (method == ForceMethod.Reference && forces.Device == ForceDevice.OpenCl)
        {
            throw new SpecException(DeviceChoice.DevicePath, DeviceChoice.PmeOnly);
        }
        if (method == ForceMethod.Pme)
        {
            var parameters = ChooseParameters(kase, model, particleCount, forces.Tolerance);
            return DeviceChoice.Resolve(forces, particleCount) is { } device
                ? new OpenClEwaldEvaluator(model, parameters, device)
                : new EwaldEvaluator(model, parameters, ResolveSimd(forces.Simd), forces.EffectiveThreads);
        }
        return kase.Reference == ReferenceMethod.FourierSeries
            ? new FourierSeriesEvaluator(model)
            : new PairSumEvaluator(model, kase.PairKernel(model.Delta), forces.EffectiveThreads);
    }

    /// <summary>The PME parameters, or the reason there are none as an error at <c>$.forces.method</c>.</summary>
    private static EwaldParameters ChooseParameters(KernelCase kase, SystemModel model, int particleCount, double tolerance)
    {
        var fastPath = kase.FastPath;
        if (!fastPath.Supported)
        {
            throw new SpecException("$.forces.method", $"\"pme\" is not available for {kase.Name}: {fastPath.Reason}");
        }
        try
        {
            return EwaldParameterChooser.Choose(model, particleCount, tolerance);
        }
        catch (NotSupportedException refusal)
        {
            throw new SpecException("$.forces.method", refusal.Message);
        }
    }

    private static SimdPath ResolveSimd(SimdPath requested)
    {
        try
        {
            return SimdPaths.Resolve(requested);
        }
        catch (NotSupportedException refusal)
        {
            throw new SpecException("$.forces.simd", refusal.Message);
        }
    }

    private static bool FastPathApplies(KernelCase kase, SystemModel model, int particleCount, double tolerance)
    {
        if (!kase.FastPath.Supported)
        {
            return false;
        }
        try
        {
            _ = EwaldParameterChooser.Choose(model, particleCount, tolerance);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
