namespace HpcGB.Engine.Model;

/// <summary>
/// External field: U(x) = Σ_modes [c cos 2πk·x + s sin 2πk·x] and a constant applied force F.
/// The particle velocity gets −b_i ∇U(x_i) + b_i F; the energy gets (1/n) Σ b_i U(x_i) − (1/n) Σ b_i F·x_i
/// with x_i unwrapped, so that dE/dt = −(1/n) Σ |ẋ_i|² holds with F too.
/// </summary>
public sealed class ExternalPotential
{
    public ExternalPotential(IReadOnlyList<FourierMode> modes, double[] force)
    {
        Modes = modes;
        Force = force;
    }

    public static ExternalPotential None(int dimension) => new([], new double[dimension]);

    public IReadOnlyList<FourierMode> Modes { get; }

    /// <summary>Applied constant force F (length d); for edge dislocations the applied shear stress.</summary>
    public double[] Force { get; }

    public bool IsZero => Modes.Count == 0 && Force.All(f => f == 0.0);

    /// <summary>U at a point (d = Point.Length).</summary>
    public double Value(ReadOnlySpan<double> point)
    {
        double u = 0;
        foreach (var mode in Modes)
        {
            double phase = Phase(mode.K, point);
            u += mode.Cos * Math.Cos(phase) + mode.Sin * Math.Sin(phase);
        }
        return u;
    }

    /// <summary>Adds ∇U at a point into <paramref name="gradient"/>.</summary>
    public void AddGradient(ReadOnlySpan<double> point, Span<double> gradient)
    {
        foreach (var mode in Modes)
        {
            double phase = Phase(mode.K, point);
            // d/dx [c cos φ + s sin φ] = 2πk (−c sin φ + s cos φ)
            double factor = 2 * Math.PI * (-mode.Cos * Math.Sin(phase) + mode.Sin * Math.Cos(phase));
            for (int a = 0; a < gradient.Length; a++)
            {
                gradient[a] += factor * mode.K[a];
            }
        }
    }

    private static double Phase(int[] k, ReadOnlySpan<double> point)
    {
        double dot = 0;
        for (int a = 0; a < point.Length; a++)
        {
            dot += k[a] * point[a];
        }
        return 2 * Math.PI * dot;
    }
}
