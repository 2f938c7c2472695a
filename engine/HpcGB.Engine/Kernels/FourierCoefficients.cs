using HpcGB.Engine.Cases;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// The Fourier coefficients V̂_δ,k (docs/numerics.md §1–2): one bare coefficient V̂_k per kernel and one factor per
/// regularisation; <see cref="KernelCase"/> pairs them. V̂_0 = 0 for every kernel.
/// </summary>
public static class FourierCoefficients
{
    /// <summary>V̂_δ at wave vector (k1, k2) (k2 = 0 in 1D) of the case of this dimension, kernel and regularisation.</summary>
    public static double Coefficient(int dimension, KernelType kernel, Regularization regularization, int k1, int k2) =>
        KernelCases.For(dimension, kernel, regularization.Type).Coefficient(regularization.Delta, k1, k2);

    /// <summary>1D log: V̂_k = 1/(2|k|).</summary>
    public static double Log1D(int k1, int k2) => 1.0 / (2 * Math.Abs(k1));

    /// <summary>2D log: V̂_k = 1/(2π|k|²).</summary>
    public static double Log2D(int k1, int k2) => 1.0 / (2 * Math.PI * Norm2(k1, k2));

    /// <summary>Edge: V̂_k = k2²/(π|k|⁴).</summary>
    public static double Edge(int k1, int k2)
    {
        double kk = Norm2(k1, k2);
        return (double)k2 * k2 / (Math.PI * kk * kk);
    }

    /// <summary>Regularisation none: factor 1.</summary>
    public static double Unregularised(double delta, double kk) => 1.0;

    /// <summary>Gaussian: e^{−2π²δ²|k|²}.</summary>
    public static double Gaussian(double delta, double kk) => Math.Exp(-2 * Math.PI * Math.PI * delta * delta * kk);

    /// <summary>Modified Gaussian of the edge kernel: (1 + a)e^{−a}, a = 2π²δ²|k|².</summary>
    public static double ModifiedGaussian(double delta, double kk)
    {
        double a = 2 * Math.PI * Math.PI * delta * delta * kk;
        return (1 + a) * Math.Exp(-a);
    }

    /// <summary>Poisson: e^{−2πδ|k|}.</summary>
    public static double Poisson(double delta, double kk) => Math.Exp(-2 * Math.PI * delta * Math.Sqrt(kk));

    /// <summary>
    /// The wave-number cut-off K beyond which every coefficient (times |k|, for forces) is below ~1e-17 of the
    /// leading one, for the regularisations that decay (gaussian, poisson).
    /// </summary>
    public static int Cutoff(Regularization regularization) => regularization.Type switch
    {
        RegularizationType.Gaussian => (int)Math.Ceiling(1.55 / regularization.Delta) + 2,
        RegularizationType.Poisson => (int)Math.Ceiling(42.0 / (2 * Math.PI * regularization.Delta)) + 2,
        _ => throw new NotSupportedException("the unregularised series does not converge absolutely"),
    };

    internal static double Norm2(int k1, int k2) => (double)k1 * k1 + (double)k2 * k2;
}
