using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests;

/// <summary>What one in-process CLI invocation returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// A scratch directory per test class plus helpers to write specs and drive <see cref="Cli"/> in-process with
/// captured stdout and stderr.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hpcgb-host-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    internal static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = HpcgbCli.Invoke(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes <paramref name="spec"/> as normalised JSON and returns the file path.</summary>
    public string WriteSpec(string name, SimulationSpec spec) => WriteText(name, SpecWriter.ToJson(spec));

    public string WriteText(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test run.
        }
    }

    /// <summary>2D log kernel, n = 6 uniform, gaussian δ = 0.05, end 0.01, 3 outputs: runs in milliseconds.</summary>
    public static SimulationSpec Tiny2D() => new(
        new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.05),
            ExternalPotential.None(2)),
        new UniformParticles(6, 0.5),
        TimeSpec.Default with { End = 0.01, Outputs = 3 },
        ForcesSpec.Default,
        Seed: 7);

    /// <summary>The 1D analogue of <see cref="Tiny2D"/>, with an external mode so the particles move.</summary>
    public static SimulationSpec Tiny1D() => new(
        new SystemModel(1, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.05),
            new ExternalPotential([new FourierMode([1], 0.1, 0.0)], [0.0])),
        new UniformParticles(6, 0.5),
        TimeSpec.Default with { End = 0.01, Outputs = 3 },
        ForcesSpec.Default,
        Seed: 11);

    /// <summary>Two opposite signs 5e-15 apart (below CollisionException.Distance) under the unregularised kernel:
    /// the first evaluation reports a collision.</summary>
    public static SimulationSpec Collision() => new(
        new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.None, 0.01),
            ExternalPotential.None(2)),
        new ExplicitParticles([[0.5, 0.5], [0.5 + 5e-15, 0.5]], [1, -1]),
        TimeSpec.Default with { End = 0.01, Outputs = 3 },
        ForcesSpec.Default,
        Seed: 1);
}
