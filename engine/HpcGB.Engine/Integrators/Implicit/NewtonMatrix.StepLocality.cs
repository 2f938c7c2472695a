using System.Numerics.Tensors;

namespace HpcGB.Engine.Integrators.Implicit;

internal sealed partial class NewtonMatrix
{
    private double[] _localStep1 = [], _localStep2 = [];

    /// <summary>
    /// How far a move by <paramref name="step"/> (moving axes, held particles) reaches relative to the scale on
    /// which E_n varies: the largest |s_i − s_j| / |x_i − x_j| over the pairs of the last assembly, at their
    /// separations there (the kernels' k-th derivatives fall off as r⁻ᵏ, so along a move with q ≪ 1 E_n is its
    /// quadratic model to O(q)), and 2·max|s| over <paramref name="radius"/> for the pairs beyond the pair radius.
    /// The same on every rank (ghosts' entries from their holders, the maximum over ranks). Whether it is at most
    /// <paramref name="bound"/> is all a caller asks: the pass (in chunks, <see cref="ForPairs"/>) stops at the first
    /// pair beyond it (the free log gas's Newton steps are rarely local), and every rank still joins the maximum.
    /// </summary>
    public bool IsLocal(double[][] step, double radius, double bound)
    {
        bool two = step.Length == 2;
        double[] s1 = step[0], s2 = two ? step[1] : s1;
        if (Halo.Distributed)
        {
            if (_localStep1.Length < _n)
            {
                _localStep1 = new double[_n];
                _localStep2 = new double[_n];
            }
            ToLocal(step[0], _localStep1);
            ToLocal(two ? step[1] : null, _localStep2);
            (s1, s2) = (_localStep1, _localStep2);
        }
        double largest = Math.Abs(TensorPrimitives.MaxMagnitude<double>(step[0]));
        if (two)
        {
            largest = Math.Max(largest, Math.Abs(TensorPrimitives.MaxMagnitude<double>(step[1])));
        }
        int chunks = PairChunks;
        if (_chunkReach.Length < chunks)
        {
            _chunkReach = new double[chunks];
        }
        (_reachStep1, _reachStep2, _reachBound) = (s1, two ? s2 : null, bound);
        _reachStart = 4 * largest * largest / (radius * radius);
        ForPairs(_reach);
        (_reachStep1, _reachStep2) = (null, null);
        double q = 0;
        for (int c = 0; c < chunks; c++)
        {
            q = Math.Max(q, _chunkReach[c]);
        }
        return Halo.Max(Math.Sqrt(q)) <= bound;
    }

    private double[] _chunkReach = [];
    private double[]? _reachStep1, _reachStep2; // the pass under way's step (second: null with one component)
    private double _reachStart, _reachBound;

    /// <summary>
    /// The squared reach over pairs [<paramref name="start"/>, <paramref name="end"/>) (see <see cref="IsLocal"/>),
    /// from the far pairs' on; stops once beyond the bound (each chunk: whether any is, is the same as serially).
    /// </summary>
    private double Reach(int start, int end)
    {
        double[] s1 = _reachStep1!;
        double[]? s2 = _reachStep2;
        double bound = _reachBound, squared = bound * bound, q = _reachStart;
        for (int p = start; p < end && !Beyond(q, squared, bound); p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double d1 = s1[i] - s1[j];
            double d2 = s2 is null ? 0.0 : s2[i] - s2[j];
            q = Math.Max(q, (d1 * d1 + d2 * d2) / (_w1[p] * _w1[p] + _w2[p] * _w2[p]));
        }
        return q;
    }

    /// <summary>Whether √<paramref name="q"/> &gt; <paramref name="bound"/> (the square root only near the bound).</summary>
    private static bool Beyond(double q, double squared, double bound) => q > squared && Math.Sqrt(q) > bound;
}
