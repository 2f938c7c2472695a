namespace HpcGB.Engine.Kernels;

/// <summary>
/// A regularised periodic pair potential V_δ in exact closed form (the reference's ground truth).
/// Differences are in any periodic image; implementations reduce them. In 1D <c>dy</c> is ignored.
/// </summary>
public interface IPairKernel
{
    /// <summary>V_δ(x) for a non-zero difference x = (dx, dy).</summary>
    double Potential(double dx, double dy);

    /// <summary>∇V_δ(x) for a non-zero difference.</summary>
    void Gradient(double dx, double dy, out double gx, out double gy);

    /// <summary>V_δ(0), the self term of the energy, or null where it is excluded (regularisation none).</summary>
    double? SelfValue { get; }
}
