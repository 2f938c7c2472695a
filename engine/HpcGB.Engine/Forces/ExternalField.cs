using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces;

/// <summary>The one-body part shared by every evaluator: −b_i ∇U(x_i) + b_i F, the energy terms, and glide.</summary>
public static class ExternalField
{
    /// <summary>
    /// Adds the external velocity to the interaction velocity, zeroes x2 under glide, and returns the energy
    /// plus (1/n) Σ b_i [U(x_i) − F·x_i] (NaN stays NaN).
    /// </summary>
    public static double Apply(SystemModel model, ParticleState state, double[][] velocity, double interactionEnergy)
    {
        double sum = AddVelocity(model, state, velocity, withEnergy: !double.IsNaN(interactionEnergy));
        return model.External.IsZero ? interactionEnergy : interactionEnergy + sum / state.Count;
    }

    /// <summary>
    /// The one-body part for a subset of the particles (one rank's share of a distributed run): adds
    /// −b_i ∇U(x_i) + b_i F to <paramref name="velocity"/>, zeroes x2 under glide, and returns the unnormalised
    /// Σ b_i [U(x_i) − F·x_i] over these particles when <paramref name="withEnergy"/> (0 otherwise). Positions are
    /// the unwrapped ones: F·x is the work of the applied force.
    /// </summary>
    public static double AddVelocity(SystemModel model, ParticleState state, double[][] velocity, bool withEnergy)
    {
        int n = state.Count;
        int d = state.Dimension;
        var external = model.External;
        double sum = 0;
        if (!external.IsZero)
        {
            Span<double> point = stackalloc double[d];
            Span<double> gradient = stackalloc double[d];
            for (int i = 0; i < n; i++)
            {
                for (int a = 0; a < d; a++)
                {
                    point[a] = state.Positions[a][i];
                    gradient[a] = 0;
                }
                external.AddGradient(point, gradient);
                double b = state.Signs[i];
                for (int a = 0; a < d; a++)
                {
                    velocity[a][i] += b * (external.Force[a] - gradient[a]);
                }
                if (withEnergy)
                {
                    double u = external.Value(point);
                    for (int a = 0; a < d; a++)
                    {
                        u -= external.Force[a] * point[a];
                    }
                    sum += b * u;
                }
            }
        }
        if (model.Mobility == MobilityType.Glide)
        {
            Array.Clear(velocity[1]);
        }
        return sum;
    }
}
