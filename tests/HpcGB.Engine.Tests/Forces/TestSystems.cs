using HpcGB.Engine.Cases;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>Small configurations shared by the evaluator tests.</summary>
internal static class TestSystems
{
    public static SystemModel Model(int d, KernelType kernel, RegularizationType type, double delta,
        MobilityType mobility = MobilityType.Isotropic, ExternalPotential? external = null) =>
        new(d, kernel, mobility, new Regularization(type, delta), external ?? ExternalPotential.None(d));

    /// <summary>Uniform random particles with alternating signs plus one tight dipole at distance 3δ.</summary>
    public static ParticleState RandomWithDipole(int d, int n, double delta, int seed)
    {
        var random = new Random(seed);
        var signs = new sbyte[n];
        var state = ParticleState.Zeros(d, signs);
        for (int i = 0; i < n; i++)
        {
            signs[i] = (sbyte)(i % 2 == 0 ? 1 : -1);
            for (int a = 0; a < d; a++)
            {
                state.Positions[a][i] = random.NextDouble();
            }
        }
        // Particle 1 (−) sits 3δ from particle 0 (+).
        state.Positions[0][1] = state.Positions[0][0] + 3 * delta * (d == 2 ? 0.6 : 1.0);
        if (d == 2)
        {
            state.Positions[1][1] = state.Positions[1][0] - 3 * delta * 0.8;
        }
        return state;
    }

    public static ExternalPotential SomeField(int d) => new(
        [new FourierMode(d == 2 ? [1, 0] : [1], 0.1, 0.0), new FourierMode(d == 2 ? [1, 2] : [2], -0.03, 0.05)],
        d == 2 ? [0.02, -0.01] : [0.02]);

    /// <summary>The cases with a closed-form periodic kernel, from the case table.</summary>
    public static IEnumerable<(int D, KernelType Kernel, RegularizationType Type)> RealSpaceKernels() =>
        KernelCases.All.Where(c => c.ExactKernel is not null).Select(c => (c.Dimension, c.Kernel, c.Regularization));
}
