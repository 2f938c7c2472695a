using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Integrators;

/// <summary>
/// A smooth periodic pair potential V(x) = −Σ_a cos 2πx_a, evaluated in O(n) through the sums
/// S_c = Σ_j b_j cos 2πx_j, S_s = Σ_j b_j sin 2πx_j per axis: ẋ_i = −(2π/n) b_i (sin 2πx_i S_c − cos 2πx_i S_s),
/// E_n = −(1/2n²) Σ_a (S_c² + S_s²) (diagonal included). A true gradient flow with Σ_i ẋ_i = 0, so energy
/// and centroid tests of the integrators need no real kernel.
/// </summary>
internal sealed class SmoothPairEvaluator(SystemModel model) : IForceEvaluator
{
    public string Name => "smooth-test";

    public SystemModel Model { get; } = model;

    public int Calls { get; private set; }

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
    {
        Calls++;
        int n = state.Count;
        double energy = 0;
        for (int a = 0; a < state.Dimension; a++)
        {
            double[] x = state.Positions[a];
            double sc = 0, ss = 0;
            for (int j = 0; j < n; j++)
            {
                sc += state.Signs[j] * Math.Cos(2 * Math.PI * x[j]);
                ss += state.Signs[j] * Math.Sin(2 * Math.PI * x[j]);
            }
            for (int i = 0; i < n; i++)
            {
                double phase = 2 * Math.PI * x[i];
                velocity[a][i] = -2 * Math.PI / n * state.Signs[i] * (Math.Sin(phase) * sc - Math.Cos(phase) * ss);
            }
            energy -= (sc * sc + ss * ss) / (2.0 * n * n);
        }
        return ExternalField.Apply(Model, state, velocity, withEnergy ? energy : double.NaN);
    }
}

/// <summary>ẋ = −λx componentwise (exact solution x₀e^{−λt}); ignores the model's mobility on purpose, so
/// it also writes a non-zero x2 velocity under glide.</summary>
internal sealed class LinearDecayEvaluator(SystemModel model, double rate) : IForceEvaluator
{
    public string Name => "linear-test";

    public SystemModel Model { get; } = model;

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
    {
        double energy = 0;
        for (int a = 0; a < state.Dimension; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                velocity[a][i] = -rate * state.Positions[a][i];
                energy += 0.5 * rate * state.Positions[a][i] * state.Positions[a][i] / state.Count;
            }
        }
        return withEnergy ? energy : double.NaN;
    }
}

/// <summary>Delegates to an inner evaluator and fails on a chosen call: throws a collision of (3, 7), or
/// returns NaN velocities from then on.</summary>
internal sealed class FailingEvaluator(IForceEvaluator inner, int failingCall, bool collide) : IForceEvaluator
{
    public string Name => "failing-test";

    public SystemModel Model => inner.Model;

    public int Calls { get; private set; }

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
    {
        Calls++;
        double energy = inner.Evaluate(state, velocity, withEnergy);
        if (Calls >= failingCall)
        {
            if (collide)
            {
                throw new CollisionException(3, 7, 0.0);
            }
            foreach (var axis in velocity)
            {
                Array.Fill(axis, double.NaN);
            }
        }
        return energy;
    }
}
