using HpcGB.Engine.Model;

namespace HpcGB.Engine.Kernels;

/// <summary>Picks the exact pair kernel for a model (kernel × dimension × regularisation).</summary>
public static class PairKernels
{
    public static IPairKernel Create(SystemModel model)
    {
        double delta = model.Delta;
        return (model.Dimension, model.Kernel, model.Regularization.Type) switch
        {
            (1, KernelType.Log, RegularizationType.None) => new LogKernel1D(),
            (1, KernelType.Log, RegularizationType.Poisson) => new PoissonLogKernel1D(delta),
            (1, KernelType.Log, RegularizationType.Gaussian) => new GaussianLogKernel1D(delta),
            (2, KernelType.Log, RegularizationType.None) => new LogKernel2D(),
            (2, KernelType.Log, RegularizationType.Gaussian) => new GaussianLogKernel2D(delta),
            (2, KernelType.Edge, RegularizationType.None) => new EdgeKernel(),
            (2, KernelType.Edge, RegularizationType.Gaussian) => new GaussianEdgeKernel(delta),
            var c => throw new NotSupportedException(
                $"no closed-form pair kernel for dimension {c.Item1}, kernel {c.Item2}, regularization {c.Item3}"),
        };
    }
}
