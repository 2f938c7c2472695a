using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// 1D log kernel with Gaussian regularisation V̂_k e^{−2π²δ²k²} (V convolved with a Gaussian of standard
/// deviation δ). For δ ≥ <see cref="Split"/> the Fourier series converges fast and is summed directly. For
/// smaller δ: V_δ = V_σ + (V_δ − V_σ) with σ = <see cref="Split"/>; V_σ by its Fourier series, and the
/// difference as a sum over images of L_δ − L_σ, L_s(y) = −ln s − ℓ(y/s) the free log smoothed at width s:
/// the image n = 0 exactly, the others through the asymptotic series L_s(y) = −ln|y| + Σ_m c_m s^{2m}/y^{2m},
/// c_m = (2m−1)!!/(2m), summed over images with Hurwitz zeta functions. Accuracy ~1e-14.
/// </summary>
public sealed class GaussianLogKernel1D : IPairKernel
{
    /// <summary>The width σ of the Fourier part; (σ/½)^{2·9} bounds the dropped asymptotic terms.</summary>
    public const double Split = 0.02;

    private const int AsymptoticTerms = 8;

    private readonly double _delta;
    private readonly bool _direct;
    private readonly double[] _fourierWeights; // e^{−2π²w²k²} for k = 1 … K, w = δ or σ
    private readonly double[] _imageCoefficients; // c_m (δ^{2m} − σ^{2m})

    public GaussianLogKernel1D(double delta)
    {
        _delta = delta;
        _direct = delta >= Split;
        double width = _direct ? delta : Split;
        int terms = (int)Math.Ceiling(1.45 / width) + 2;
        _fourierWeights = new double[terms + 1];
        for (int k = 1; k <= terms; k++)
        {
            _fourierWeights[k] = Math.Exp(-2 * Math.PI * Math.PI * width * width * k * k);
        }
        _imageCoefficients = new double[AsymptoticTerms + 1];
        double doubleFactorial = 1;
        for (int m = 1; m <= AsymptoticTerms; m++)
        {
            doubleFactorial *= 2 * m - 1;
            _imageCoefficients[m] = doubleFactorial / (2 * m) * (Math.Pow(delta, 2 * m) - Math.Pow(Split, 2 * m));
        }
        SelfValue = ComputePotential(0.0);
    }

    public double? SelfValue { get; }

    public double Potential(double dx, double dy) => ComputePotential(LogKernel1D.Reduce(dx));

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        double x = LogKernel1D.Reduce(dx);
        // V' = −2π Σ_k w_k sin 2πkx
        double g = 0;
        for (int k = _fourierWeights.Length - 1; k >= 1; k--)
        {
            g -= 2 * Math.PI * _fourierWeights[k] * Math.Sin(2 * Math.PI * k * x);
        }
        if (!_direct)
        {
            g += -GaussianLog.Derivative(x / _delta) / _delta + GaussianLog.Derivative(x / Split) / Split;
            Span<double> sums = stackalloc double[2 * AsymptoticTerms]; // Σ_{n≠0}(x+n)^{−p}, p = 2 … 2M+1
            HurwitzZeta.ImageSums(x, sums);
            for (int m = 1; m <= AsymptoticTerms; m++)
            {
                g -= 2 * m * _imageCoefficients[m] * sums[2 * m - 1];
            }
        }
        gx = g;
        gy = 0;
    }

    private double ComputePotential(double x)
    {
        // V = Σ_k w_k cos(2πkx)/k
        double v = 0;
        for (int k = _fourierWeights.Length - 1; k >= 1; k--)
        {
            v += _fourierWeights[k] * Math.Cos(2 * Math.PI * k * x) / k;
        }
        if (!_direct)
        {
            v += -Math.Log(_delta) - GaussianLog.Value(x / _delta) + Math.Log(Split) + GaussianLog.Value(x / Split);
            Span<double> sums = stackalloc double[2 * AsymptoticTerms - 1]; // p = 2 … 2M
            HurwitzZeta.ImageSums(x, sums);
            for (int m = 1; m <= AsymptoticTerms; m++)
            {
                v += _imageCoefficients[m] * sums[2 * m - 2];
            }
        }
        return v;
    }
}
