using System.Collections.Concurrent;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>The configurations of the fast-path accuracy tests, with their reference results computed once.</summary>
public static class FastPathCases
{
    public const int Particles = 400;

    private static readonly ConcurrentDictionary<string, (ParticleState State, double[][] Velocity, double Energy)> References = new();

    /// <summary>uniform, clustered (all in a 0.02 box), dipoles at 3δ with δ = 1e-6 and 1e-9, slip plane (2D).</summary>
    public static IEnumerable<string> Configurations(int d)
    {
        yield return "uniform";
        yield return "clustered";
        yield return "dipoles-1e-6";
        yield return "dipoles-1e-9";
        if (d == 2)
        {
            yield return "slip-plane";
        }
    }

    /// <summary>
    /// The edge kernel under glide on the configurations above (prefix <c>glide-</c>, same particles): under glide the
    /// mesh rule designs for a smaller B-spline error constant (<see cref="Forces.Ewald.EwaldSplitRule.GlideSplineErrorConstant"/>).
    /// </summary>
    public static IEnumerable<string> GlideConfigurations => ["glide-uniform", "glide-clustered", "glide-dipoles-1e-6", "glide-dipoles-1e-9"];

    private const string GlidePrefix = "glide-";

    /// <summary>The particle configuration of a case name (without its <c>glide-</c> prefix).</summary>
    private static string Placement(string configuration) =>
        configuration.StartsWith(GlidePrefix, StringComparison.Ordinal) ? configuration[GlidePrefix.Length..] : configuration;

    public static double DeltaOf(string configuration, RegularizationType type) => Placement(configuration) switch
    {
        "dipoles-1e-6" => 1e-6,
        "dipoles-1e-9" => 1e-9,
        // Regularised kernels: a moderate δ (for 1D gaussian/poisson at n = 400 the mesh-only path).
        _ => type == RegularizationType.None ? 1e-3 : 2e-3,
    };

    public static SystemModel Model(int d, KernelType kernel, RegularizationType type, string configuration) =>
        new(d, kernel,
            (configuration == "slip-plane" && kernel == KernelType.Edge) || configuration.StartsWith(GlidePrefix, StringComparison.Ordinal)
                ? MobilityType.Glide : MobilityType.Isotropic,
            new Regularization(type, DeltaOf(configuration, type)), ExternalPotential.None(d));

    public static (ParticleState State, double[][] Velocity, double Energy) Reference(SystemModel model, string configuration)
    {
        string key = $"{model.Dimension}/{model.Kernel}/{model.Regularization}/{model.Mobility}/{configuration}";
        return References.GetOrAdd(key, _ =>
        {
            var state = Build(model.Dimension, configuration, model.Delta);
            var velocity = state.NewVectors();
            var reference = ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Reference, 1e-6), state.Count);
            double energy = reference.Evaluate(state, velocity, withEnergy: true);
            return (state, velocity, energy);
        });
    }

    /// <summary>Configuration <paramref name="configuration"/> with <paramref name="n"/> particles (the distributed tests
    /// need more than <see cref="Particles"/> to cut the torus into four slabs).</summary>
    public static ParticleState Build(int d, string configuration, double delta, int n = Particles)
    {
        configuration = Placement(configuration);
        var random = new Random(Seed(configuration));
        var signs = new sbyte[n];
        var state = ParticleState.Zeros(d, signs);
        for (int i = 0; i < n; i++)
        {
            signs[i] = (sbyte)(i % 2 == 0 ? 1 : -1);
            for (int a = 0; a < d; a++)
            {
                state.Positions[a][i] = configuration == "clustered" ? 0.4 + 0.02 * random.NextDouble() : random.NextDouble();
            }
        }
        if (configuration.StartsWith("dipoles", StringComparison.Ordinal))
        {
            // Half the particles in tight dipoles: particle 2k+1 sits 3δ from particle 2k.
            for (int i = 0; i < n / 2; i += 2)
            {
                double angle = 2 * Math.PI * random.NextDouble();
                state.Positions[0][i + 1] = state.Positions[0][i] + 3 * delta * (d == 2 ? Math.Cos(angle) : 1);
                if (d == 2)
                {
                    state.Positions[1][i + 1] = state.Positions[1][i] + 3 * delta * Math.Sin(angle);
                }
            }
        }
        if (configuration == "slip-plane")
        {
            Array.Fill(state.Positions[1], 0.3);
        }
        return state;
    }

    /// <summary>
    /// The configuration's own seed (FNV-1a of its name): the same particles in every process, where
    /// <see cref="string.GetHashCode()"/> is randomised per process, so every run tested other particles.
    /// </summary>
    private static int Seed(string configuration)
    {
        uint hash = 2166136261;
        foreach (char c in configuration)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash & 0xffff);
    }
}
