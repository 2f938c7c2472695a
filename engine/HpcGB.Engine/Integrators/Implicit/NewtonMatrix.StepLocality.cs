using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

internal sealed partial class NewtonMatrix
{
    private double[] _localAt1 = [], _localAt2 = [], _localStep1 = [], _localStep2 = [];

    /// <summary>
    /// How far a move by <paramref name="step"/> (moving axes, held particles) from <paramref name="at"/> reaches
    /// relative to the scale on which E_n varies: the largest |s_i − s_j| / |x_i − x_j| over the pairs of the last
    /// assembly (the kernels' k-th derivatives fall off as r⁻ᵏ, so along a move with q ≪ 1 E_n is its quadratic
    /// model to O(q)), and 2·max|s| over the pair radius for the pairs beyond it. The same on every rank (ghosts'
    /// entries from their holders, the maximum over ranks).
    /// </summary>
    public double StepLocality(double[][] at, double[][] step, double radius)
    {
        bool two = step.Length == 2;
        if (_localAt1.Length < _n)
        {
            _localAt1 = new double[_n];
            _localAt2 = new double[_n];
            _localStep1 = new double[_n];
            _localStep2 = new double[_n];
        }
        ToLocal(at[0], _localAt1);
        ToLocal(step[0], _localStep1);
        double[] x2 = _extension.Local.Dimension == 2 ? _extension.Local.Positions[1] : _localAt2;
        if (two)
        {
            ToLocal(at[1], _localAt2);
            ToLocal(step[1], _localStep2);
            x2 = _localAt2;
        }
        double largest = 0;
        for (int i = 0; i < _n; i++)
        {
            double s = _localStep1[i] * _localStep1[i] + (two ? _localStep2[i] * _localStep2[i] : 0.0);
            largest = Math.Max(largest, s);
        }
        double q = 4 * largest / (radius * radius);
        bool plane = _extension.Local.Dimension == 2;
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double a = Torus.Nearest(_localAt1[i] - _localAt1[j]);
            double b = plane ? Torus.Nearest(x2[i] - x2[j]) : 0.0;
            double d1 = _localStep1[i] - _localStep1[j];
            double d2 = two ? _localStep2[i] - _localStep2[j] : 0.0;
            q = Math.Max(q, (d1 * d1 + d2 * d2) / (a * a + b * b));
        }
        return Halo.Max(Math.Sqrt(q));
    }
}
