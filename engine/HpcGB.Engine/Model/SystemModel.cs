namespace HpcGB.Engine.Model;

/// <summary>The physics of a particle system: everything the force evaluator needs except the particles.</summary>
public sealed record SystemModel(
    int Dimension,
    KernelType Kernel,
    MobilityType Mobility,
    Regularization Regularization,
    ExternalPotential External)
{
    public double Delta => Regularization.Delta;
}
