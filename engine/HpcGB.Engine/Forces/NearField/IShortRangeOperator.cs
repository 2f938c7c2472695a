using System.Runtime.Intrinsics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// A short-range function s of the Ewald split (docs/numerics.md §4) with its cut-off r_c: the pair (i, j)
/// contributes b_i b_j s(x_i − x_j) to the energy sum and b_i b_j ∇s(x_i − x_j) to g_i.
/// <para>
/// Contract of every overload: (x1, x2) is the minimum-image difference x_i − x_j (x2 = 0 in 1D) and
/// r2 = x1² + x2². Lanes with r2 ≥ <see cref="CutoffSquared"/> (or NaN) return exactly 0, for the gradient and
/// the potential, and never fault. At r2 = 0 the regularised operators return their finite limits (∇s = 0,
/// s = s(0)); the unregularised ones (<see cref="IsSingularAtOrigin"/>) return non-finite values there, a
/// collision, which the pair loop detects and reports instead.
/// </para>
/// <para>
/// The scalar overloads are the reference formulas (plain double arithmetic). The vector overloads compute the same
/// formulas in every lane, written out once per width (Vector256 and Vector512: two near-identical bodies per
/// operator, so that the JIT's inlining budget stays with the pair loop; FMA and the runtime's vector exp/log), and
/// agree with the scalar ones to 1e-14 relative to the size of the terms (tested per operator and width).
/// </para>
/// </summary>
public interface IShortRangeOperator
{
    /// <summary>r_c²: pairs at r ≥ r_c contribute nothing.</summary>
    double CutoffSquared { get; }

    /// <summary>True for the unregularised kernels: s and ∇s diverge at r = 0.</summary>
    bool IsSingularAtOrigin { get; }

    /// <summary>∇s(x) (scalar reference).</summary>
    void Invoke(double x1, double x2, double r2, out double g1, out double g2);

    /// <summary>∇s(x) in four lanes.</summary>
    void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2);

    /// <summary>∇s(x) in eight lanes.</summary>
    void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2);

    /// <summary>s(x) (scalar reference).</summary>
    double Potential(double x1, double x2, double r2);

    /// <summary>s(x) in four lanes.</summary>
    Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2);

    /// <summary>s(x) in eight lanes.</summary>
    Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2);

    /// <summary>
    /// ∇s(x) and s(x) in four lanes, for the pair loops that sum the energy: the gradient bit for bit that of
    /// <c>Invoke</c>, the potential that of <c>Potential</c> to the same 1e-14, sharing the gradient's exponential
    /// and reciprocals where the operator can.
    /// </summary>
    void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s);

    /// <summary>∇s(x) and s(x) in eight lanes (see the four-lane overload).</summary>
    void InvokeWithPotential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s);
}
