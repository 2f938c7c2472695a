using System.Runtime.Intrinsics;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces;

/// <summary>The one-body part shared by every evaluator: −b_i ∇U(x_i) + b_i F, the energy terms, and glide.</summary>
public static class ExternalField
{
    /// <summary>Particles per block: the phases, their sines and cosines and the gradient sit in stack buffers.</summary>
    private const int Block = 256;

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
    /// <remarks>
    /// The formulas of <see cref="ExternalPotential.Value"/> and <see cref="ExternalPotential.AddGradient"/>, by
    /// blocks of particles: each mode's sine and cosine once per particle for both the gradient and U, in vectors
    /// (four scalar calls per particle cost ~0.6 ms of a 5-ms evaluation at n = 10⁴ with one mode).
    /// </remarks>
    public static double AddVelocity(SystemModel model, ParticleState state, double[][] velocity, bool withEnergy)
    {
        int n = state.Count;
        int d = state.Dimension;
        var external = model.External;
        double sum = 0;
        if (!external.IsZero)
        {
            Span<double> phase = stackalloc double[Block];
            Span<double> sin = stackalloc double[Block];
            Span<double> cos = stackalloc double[Block];
            Span<double> potential = stackalloc double[Block];
            Span<double> gradient = stackalloc double[d * Block];
            for (int start = 0; start < n; start += Block)
            {
                int count = Math.Min(Block, n - start);
                gradient.Clear();
                potential.Clear();
                foreach (var mode in external.Modes)
                {
                    // φ = 2π k·x; d/dx [c cos φ + s sin φ] = 2πk (−c sin φ + s cos φ).
                    for (int i = 0; i < count; i++)
                    {
                        double dot = 0;
                        for (int a = 0; a < d; a++)
                        {
                            dot += mode.K[a] * state.Positions[a][start + i];
                        }
                        phase[i] = 2 * Math.PI * dot;
                    }
                    SinCos(phase[..count], sin, cos);
                    for (int i = 0; i < count; i++)
                    {
                        double factor = 2 * Math.PI * (-mode.Cos * sin[i] + mode.Sin * cos[i]);
                        for (int a = 0; a < d; a++)
                        {
                            gradient[a * Block + i] += factor * mode.K[a];
                        }
                        potential[i] += mode.Cos * cos[i] + mode.Sin * sin[i];
                    }
                }
                for (int i = 0; i < count; i++)
                {
                    double b = state.Signs[start + i];
                    double u = potential[i];
                    for (int a = 0; a < d; a++)
                    {
                        velocity[a][start + i] += b * (external.Force[a] - gradient[a * Block + i]);
                        u -= external.Force[a] * state.Positions[a][start + i];
                    }
                    if (withEnergy)
                    {
                        sum += b * u;
                    }
                }
            }
        }
        if (model.Mobility == MobilityType.Glide)
        {
            Array.Clear(velocity[1]);
        }
        return sum;
    }

    /// <summary>sin and cos of every phase, all in vectors of four (the runtime's
    /// <see cref="Vector256.SinCos(Vector256{double})"/>), the last partial vector padded: a particle's bits must not
    /// depend on where it sits in the array (Math.SinCos differs in the last bit, and across ranks a particle's index
    /// changes with migration and resume).</summary>
    private static void SinCos(ReadOnlySpan<double> phase, Span<double> sin, Span<double> cos)
    {
        const int width = 4; // Vector256<double>.Count
        Span<double> lanes = stackalloc double[width];
        for (int i = 0; i < phase.Length; i += width)
        {
            int count = Math.Min(width, phase.Length - i);
            lanes.Clear();
            phase.Slice(i, count).CopyTo(lanes);
            var (s, c) = Vector256.SinCos(Vector256.Create((ReadOnlySpan<double>)lanes));
            for (int k = 0; k < count; k++)
            {
                sin[i + k] = s.GetElement(k);
                cos[i + k] = c.GetElement(k);
            }
        }
    }
}
