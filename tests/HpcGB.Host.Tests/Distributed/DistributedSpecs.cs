using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Tests.Distributed;

/// <summary>
/// The systems the <c>mpiexec</c> tests run, written as explicit particles so that every process reads the same ones:
/// the fast-path accuracy configurations folded into two specs of 1200 particles (enough for four slabs of r_c).
/// </summary>
internal static class DistributedSpecs
{
    public const int Particles = 1200;

    private static readonly ForcesSpec Pme = new(ForceMethod.Pme, 1e-6, SimdPath.Auto, Threads: 1);

    /// <summary>Log kernel, gaussian δ = 1e-6: half uniform, a quarter clustered in a 0.02 box, a quarter in dipoles 3δ wide.</summary>
    public static SimulationSpec MixedLog(TimeSpec? time = null)
    {
        var random = new Random(17);
        const double delta = 1e-6;
        var positions = new double[Particles][];
        for (int i = 0; i < Particles; i++)
        {
            positions[i] = i < Particles / 2
                ? [random.NextDouble(), random.NextDouble()]
                : i < 3 * Particles / 4
                    ? [0.4 + 0.02 * random.NextDouble(), 0.4 + 0.02 * random.NextDouble()]
                    : i % 2 == 0
                        ? [random.NextDouble(), random.NextDouble()]
                        : Partner(positions[i - 1], 3 * delta, random);
        }
        return Spec(new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, delta),
            ExternalPotential.None(2)), positions, time);
    }

    /// <summary>
    /// 2D log, gaussian δ = 1e-3, in a field U: 1080 uniform particles and 60 dipoles 3δ wide (stiff; 24 of them on
    /// x1 = m/12, the boundaries of 2, 3 and 4 even slabs), for the implicit comparisons.
    /// </summary>
    public static SimulationSpec DipolesLog(TimeSpec time)
    {
        var random = new Random(11);
        const double delta = 1e-3;
        var positions = new List<double[]>();
        for (int i = 0; i < Particles - 120; i++)
        {
            positions.Add([random.NextDouble(), random.NextDouble()]);
        }
        for (int k = 0; k < 60; k++)
        {
            double c1 = k < 24 ? (k % 12) / 12.0 + 1e-4 * (random.NextDouble() - 0.5) : random.NextDouble();
            double c2 = random.NextDouble();
            positions.Add([c1 - 1.5 * delta, c2]);
            positions.Add([c1 + 1.5 * delta, c2]);
        }
        return Spec(new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, delta),
            new ExternalPotential([new FourierMode([1, 0], 0.3, 0.1)], [0.0, 0.0])), [.. positions], time);
    }

    /// <summary>Edge kernel under glide, gaussian δ = 2e-3: half on the slip plane x2 = 0.3, half uniform.</summary>
    public static SimulationSpec SlipPlaneEdge(TimeSpec? time = null, double force = 0)
    {
        var random = new Random(29);
        var positions = Enumerable.Range(0, Particles)
            .Select(i => new[] { random.NextDouble(), i % 2 == 0 ? 0.3 : random.NextDouble() }).ToArray();
        return Spec(new SystemModel(2, KernelType.Edge, MobilityType.Glide, new Regularization(RegularizationType.Gaussian, 2e-3),
            new ExternalPotential([], [force, 0.0])), positions, time);
    }

    /// <summary>2D log, gaussian δ = 0.01, uniform, in a field U: a smooth run for the DP45 comparisons.</summary>
    public static SimulationSpec SmoothRun() => new(
        new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.01),
            new ExternalPotential([new FourierMode([1, 0], 0.3, 0.1)], [0.0, 0.0])),
        new UniformParticles(Particles, 0.5),
        new TimeSpec(0.02, IntegratorType.Dp45, 1e-6, 1e-9, 3, 1e-3),
        Pme,
        5);

    private static double[] Partner(double[] centre, double distance, Random random)
    {
        double angle = 2 * Math.PI * random.NextDouble();
        return [centre[0] + distance * Math.Cos(angle), centre[1] + distance * Math.Sin(angle)];
    }

    private static SimulationSpec Spec(SystemModel model, double[][] positions, TimeSpec? time)
    {
        var signs = Enumerable.Range(0, positions.Length).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        return new SimulationSpec(model, new ExplicitParticles(positions, signs), time ?? new TimeSpec(0.01, IntegratorType.Dp45, 1e-6, 1e-9, 3, 1e-3), Pme, 1);
    }
}
