using HpcGB.Engine.Model;

namespace HpcGB.Engine.Kernels;

/// <summary>V̂_δ,k of every kernel × regularisation (NUMERICS.md §1–2); V̂_0 = 0.</summary>
public static class FourierCoefficients
{
    /// <summary>The coefficient at wave vector (k1, k2) (k2 = 0 in 1D).</summary>
    public static double Coefficient(int dimension, KernelType kernel, Regularization regularization, int k1, int k2)
    {
        if (k1 == 0 && k2 == 0)
        {
            return 0.0;
        }
        double kk = (double)k1 * k1 + (double)k2 * k2;
        double bare = (dimension, kernel) switch
        {
            (1, KernelType.Log) => 1.0 / (2 * Math.Abs(k1)),
            (2, KernelType.Log) => 1.0 / (2 * Math.PI * kk),
            (2, KernelType.Edge) => (double)k2 * k2 / (Math.PI * kk * kk),
            _ => throw new NotSupportedException($"kernel {kernel} in dimension {dimension}"),
        };
        double delta = regularization.Delta;
        double a = 2 * Math.PI * Math.PI * delta * delta * kk;
        return regularization.Type switch
        {
            RegularizationType.None => bare,
            RegularizationType.Poisson => bare * Math.Exp(-2 * Math.PI * delta * Math.Sqrt(kk)),
            RegularizationType.Gaussian when kernel == KernelType.Edge => bare * (1 + a) * Math.Exp(-a),
            RegularizationType.Gaussian => bare * Math.Exp(-a),
            _ => throw new NotSupportedException(regularization.Type.ToString()),
        };
    }

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
}
