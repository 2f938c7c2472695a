using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Demo;

/// <summary>
/// The spec of <c>hpcgb demo</c>: 2D periodic log kernel (screw dislocations), isotropic mobility, Gaussian
/// regularisation δ = 0.005, <see cref="Count"/> uniform particles (half of each sign), external potential
/// U = 0.1·cos 2πx₁ (mode k = [1, 0]) which pushes + particles towards x₁ = ½ and − particles towards x₁ = 0,
/// dp45 with rtol 1e-5, 21 outputs up to <see cref="EndTime"/>. Over that time opposite signs pair into bound dipoles
/// and the field sorts the free particles into bands; the energy falls monotonically. With the O(n²) reference
/// evaluator it runs in a few seconds on two cores.
/// </summary>
public static class DemoSpec
{
    public const int Count = 400;

    public const double EndTime = 1.0;

    public const double Delta = 0.005;

    public const ulong Seed = 20240601;

    public static SimulationSpec Create()
    {
        var system = new SystemModel(
            Dimension: 2,
            Kernel: KernelType.Log,
            Mobility: MobilityType.Isotropic,
            Regularization: new Regularization(RegularizationType.Gaussian, Delta),
            External: new ExternalPotential([new FourierMode([1, 0], Cos: 0.1, Sin: 0.0)], [0.0, 0.0]));
        var time = TimeSpec.Default with { End = EndTime, Integrator = IntegratorType.Dp45, Rtol = 1e-5, Outputs = 21 };
        return new SimulationSpec(
            system,
            new UniformParticles(Count, PositiveFraction: 0.5),
            time,
            new ForcesSpec(ForceMethod.Reference, ForcesSpec.Default.Tolerance),
            Seed);
    }
}
