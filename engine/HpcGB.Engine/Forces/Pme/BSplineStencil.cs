using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// The p B-spline weights of one particle along one axis, as polynomials in the fractional part f of M·x,
/// evaluated by Horner's rule: w[q] = M_p(f + p − 1 − q) on mesh point ⌊M x⌋ − p + 1 + q, i.e. in increasing mesh
/// order, so a stencil row is contiguous. At order 8 all weights are one Vector512 (two Vector256; <see cref="IStencilLanes"/>) and cost 7 fused multiply-adds,
/// against ≈ 100 ns for the recursion of <see cref="BSpline.Weights(double, int, Span{double})"/>, which stays the
/// reference the coefficients are built from and tested against.
/// </summary>
internal sealed class BSplineStencil
{
    private readonly int _order;
    private readonly double[] _values;      // [k·p + q]: coefficient of f^k in w[q]
    private readonly double[] _derivatives; // [k·p + q]: coefficient of f^k in w[q]'

    public BSplineStencil(int order)
    {
        _order = order;
        _values = Coefficients(order);
        _derivatives = new double[order * order];
        for (int k = 0; k + 1 < order; k++)
        {
            for (int q = 0; q < order; q++)
            {
                _derivatives[k * order + q] = (k + 1) * _values[(k + 1) * order + q];
            }
        }
    }

    public int Order => _order;

    /// <summary>The coefficient of f^k in w[q] at [k·p + q] (the OpenCL path evaluates the same polynomials).</summary>
    internal ReadOnlySpan<double> ValueTable => _values;

    /// <summary>The coefficient of f^k in w[q]' at [k·p + q], k &lt; p − 1.</summary>
    internal ReadOnlySpan<double> DerivativeTable => _derivatives;

    /// <summary>Weights in increasing mesh order at fractional part <paramref name="frac"/> ∈ [0, 1), at SIMD width <typeparamref name="TLanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Weights<TLanes>(double frac, Span<double> w)
        where TLanes : struct, IStencilLanes => TLanes.Horner(_values, _order, frac, w);

    /// <summary>Weights and their derivatives with respect to the scaled coordinate M·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Weights<TLanes>(double frac, Span<double> w, Span<double> dw)
        where TLanes : struct, IStencilLanes
    {
        TLanes.Horner(_values, _order, frac, w);
        TLanes.Horner(_derivatives, _order - 1, frac, dw);
    }

    /// <summary>
    /// The recursion M_{n+1}(f + j) = [(f + j) M_n(f + j) + (n + 1 − f − j) M_n(f + j − 1)]/n carried out on
    /// polynomials in f, starting from M_2(f) = f, M_2(f + 1) = 1 − f; stored reversed (q = p − 1 − j).
    /// </summary>
    private static double[] Coefficients(int order)
    {
        // poly[j][k]: coefficient of f^k in M_n(f + j).
        var poly = new double[order + 1][];
        for (int j = 0; j <= order; j++)
        {
            poly[j] = new double[order + 1];
        }
        poly[0][1] = 1;
        poly[1][0] = 1;
        poly[1][1] = -1;
        for (int n = 2; n < order; n++)
        {
            var next = new double[order + 1][];
            for (int j = 0; j <= n; j++)
            {
                next[j] = new double[order + 1];
                for (int k = 0; k < order; k++)
                {
                    double current = poly[j][k];
                    double below = j > 0 ? poly[j - 1][k] : 0;
                    // (f + j)·current + (n + 1 − j − f)·below, then / n.
                    next[j][k] += (j * current + (n + 1 - j) * below) / n;
                    next[j][k + 1] += (current - below) / n;
                }
            }
            for (int j = 0; j <= n; j++)
            {
                poly[j] = next[j];
            }
        }
        var table = new double[order * order];
        for (int j = 0; j < order; j++)
        {
            for (int k = 0; k < order; k++)
            {
                table[k * order + (order - 1 - j)] = poly[j][k];
            }
        }
        return table;
    }
}
