using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>The spec's enum spellings (lowercase), one table per enum, read and written from the same place.</summary>
internal static class SpecNames
{
    public static EnumNames<KernelType> Kernel { get; } = new(("log", KernelType.Log), ("edge", KernelType.Edge));

    public static EnumNames<MobilityType> Mobility { get; } =
        new(("isotropic", MobilityType.Isotropic), ("glide", MobilityType.Glide));

    public static EnumNames<RegularizationType> Regularization { get; } = new(
        ("gaussian", RegularizationType.Gaussian), ("poisson", RegularizationType.Poisson), ("none", RegularizationType.None));

    public static EnumNames<IntegratorType> Integrator { get; } =
        new(
            ("dp45", IntegratorType.Dp45), ("euler", IntegratorType.Euler), ("implicit", IntegratorType.Implicit),
            ("auto", IntegratorType.Auto));

    public static EnumNames<ErrorControl> ErrorControl { get; } =
        new(("per_step", Spec.ErrorControl.PerStep), ("per_unit_time", Spec.ErrorControl.PerUnitTime));

    public static EnumNames<ForceMethod> ForceMethod { get; } =
        new(("auto", Spec.ForceMethod.Auto), ("reference", Spec.ForceMethod.Reference), ("pme", Spec.ForceMethod.Pme));

    public static EnumNames<ForceDevice> Device { get; } =
        new(("cpu", ForceDevice.Cpu), ("opencl", ForceDevice.OpenCl), ("auto", ForceDevice.Auto));

    public static EnumNames<SimdPath> Simd { get; } =
        new(("auto", SimdPath.Auto), ("avx512", SimdPath.Avx512), ("avx2", SimdPath.Avx2), ("scalar", SimdPath.Scalar));

    public static EnumNames<RunModel> Model { get; } =
        new(("particles", RunModel.Particles), ("continuum", RunModel.Continuum));

    public static EnumNames<ParticleInit> Init { get; } =
        new(("uniform", ParticleInit.Uniform), ("density", ParticleInit.Density), ("dipoles", ParticleInit.Dipoles));
}

/// <summary>The values of <c>particles.init</c>.</summary>
internal enum ParticleInit
{
    Uniform,
    Density,
    Dipoles,
}
