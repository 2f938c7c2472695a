using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Forces;

/// <summary>The one place that turns a model and a <c>forces</c> block into an evaluator.</summary>
public static class ForceEvaluatorFactory
{
    /// <summary>
    /// <c>reference</c>: exact wall sums (Fourier sums for 2D poisson). <c>pme</c>: near field + smooth PME with
    /// parameters chosen for <see cref="ForcesSpec.Tolerance"/> and <paramref name="particleCount"/> particles;
    /// throws <see cref="NotSupportedException"/> with the reason where the fast path cannot meet the tolerance.
    /// <c>auto</c>: the reference below <see cref="ForcesSpec.AutoCrossover"/> particles and wherever the fast path
    /// cannot be used, PME otherwise. PME runs on the CPU or, by <see cref="ForcesSpec.Device"/>, on an OpenCL device
    /// (<see cref="DeviceChoice"/>); with device <c>opencl</c>, <c>auto</c> means PME (the device runs nothing else).
    /// </summary>
    /// <exception cref="SpecException">Device "opencl" that cannot be used here.</exception>
    public static IForceEvaluator Create(SystemModel model, ForcesSpec forces, int particleCount)
    {
        var method = forces.Method;
        if (method == ForceMethod.Auto)
        {
            method = forces.Device == ForceDevice.OpenCl
                || (particleCount >= ForcesSpec.AutoCrossover && FastPathApplies(model, particleCount, forces.Tolerance))
                ? ForceMethod.Pme
                : ForceMethod.Reference;
        }
        if (method == ForceMethod.Reference && forces.Device == ForceDevice.OpenCl)
        {
            throw new SpecException(DeviceChoice.DevicePath, DeviceChoice.PmeOnly);
        }
        if (method == ForceMethod.Pme)
        {
            var parameters = EwaldParameterChooser.Choose(model, particleCount, forces.Tolerance);
            return DeviceChoice.Resolve(forces, particleCount) is { } device
                ? new OpenClEwaldEvaluator(model, parameters, device)
                : new EwaldEvaluator(model, parameters, forces.Simd, forces.EffectiveThreads);
        }
        if (model.Dimension == 2 && model.Regularization.Type == RegularizationType.Poisson)
        {
            return new FourierSeriesEvaluator(model);
        }
        return new PairSumEvaluator(model, PairKernels.Create(model));
    }

    private static bool FastPathApplies(SystemModel model, int particleCount, double tolerance)
    {
        try
        {
            var parameters = EwaldParameterChooser.Choose(model, particleCount, tolerance);
            _ = parameters.MeshOnly ? EwaldSplit.MeshOnly(model) : EwaldSplit.Create(model, parameters.Sigma);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
