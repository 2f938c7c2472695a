using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>Simple per-frame measures of a state and its velocities.</summary>
public static class StateMeasures
{
    /// <summary>Σ_i x_i per axis over the unwrapped positions.</summary>
    public static double[] PositionSum(ParticleState state)
    {
        var sum = new double[state.Dimension];
        for (int a = 0; a < state.Dimension; a++)
        {
            double s = 0;
            foreach (double x in state.Positions[a])
            {
                s += x;
            }
            sum[a] = s;
        }
        return sum;
    }

    /// <summary>max_i |v_i| with |·| the Euclidean norm over the axes (0 for no particles).</summary>
    public static double MaxSpeed(double[][] velocity)
    {
        int n = velocity[0].Length;
        double max2 = 0;
        for (int i = 0; i < n; i++)
        {
            double s2 = 0;
            foreach (double[] axis in velocity)
            {
                s2 += axis[i] * axis[i];
            }
            max2 = Math.Max(max2, s2);
        }
        return Math.Sqrt(max2);
    }

    /// <summary>(1/n) Σ_i |v_i|², the energy dissipation rate −dE_n/dt along the flow (docs/model.md §1).</summary>
    public static double Dissipation(double[][] velocity)
    {
        int n = velocity[0].Length;
        double sum = 0;
        foreach (double[] axis in velocity)
        {
            foreach (double v in axis)
            {
                sum += v * v;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
