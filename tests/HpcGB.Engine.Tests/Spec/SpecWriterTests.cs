using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.NearField;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using static HpcGB.Engine.Tests.Spec.SpecReaderTests;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>The normalised echo: explicit defaults, a stable form, and Parse(ToJson(s)) equal to s.</summary>
public sealed partial class SpecWriterTests
{
    public static TheoryData<string> Specs => new()
    {
        Json("{'dimension': 2, 'particles': {'positions': [[0.5, 0.25]], 'signs': [-1]}}"),
        Json("{'dimension': 1, 'particles': {'positions': [0.1, [0.2], 1.3], 'signs': [1, -1, 1]}}"),
        FullExample,
        Json("""
            { 'dimension': 2, 'kernel': 'edge', 'mobility': 'glide',
              'regularization': { 'type': 'poisson', 'delta': 0.25 },
              'external': { 'modes': [ { 'k': [0, -3], 'sin': 2.5 }, { 'k': [2, 1], 'cos': -1 } ], 'force': [0.5, -0.25] },
              'particles': { 'init': 'uniform', 'n': 50000000, 'positive_fraction': 0 },
              'time': { 'end': 7.5, 'integrator': 'euler', 'rtol': 0.5, 'atol': 3, 'outputs': 100000, 'step': 2e-5 },
              'forces': { 'method': 'auto', 'tolerance': 0.1 }, 'seed': 18446744073709551615 }
            """),
        Json("{'dimension': 1, 'regularization': {'type': 'none', 'delta': 1e-12}, 'external': {'modes': [{'k': 3, 'cos': 0.1}], 'force': 1}, 'particles': {'init': 'uniform', 'n': 7, 'positive_fraction': 0.3}, 'seed': 0}"),
        Json("{'dimension': 2, 'particles': {'init': 'density', 'n': 600, 'positive': [[1, 2, 3], [4, 5, 6]], 'negative': [[0]]}}"),
        Json("{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [0, 0], 'negative': [1, 0.5, 2]}}"),
        Json("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 500, 'half_width': [1e-4, 0]}}"),
        Json("{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 3, 'half_width': [0, -1e-9], 'random_orientation': true, 'centre_density': [[1, 0], [0, 2]]}}"),
        Json("{'dimension': 1, 'particles': {'init': 'dipoles', 'count': 25000000, 'half_width': 0.001, 'centre_density': [1, 0, 3]}}"),
        Json("{'dimension': 2, 'particles': {'positions': [[0.5, 0.25]], 'signs': [-1]}, 'time': {'integrator': 'implicit', 'max_order': 5, 'error': 'per_unit_time'}}"),
        Json("{'dimension': 2, 'particles': {'positions': [[0.5, 0.25]], 'signs': [-1]}, 'time': {'integrator': 'auto', 'max_order': 1}}"),
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void ParseOfToJsonEqualsTheSpec(string json)
    {
        var spec = SpecReader.Parse(json);

        SpecAssert.Equal(spec, SpecReader.Parse(SpecWriter.ToJson(spec)));
        SpecAssert.Equal(spec, SpecReader.Parse(SpecWriter.ToJson(spec, indented: false)));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void ToJsonIsANormalForm(string json)
    {
        string once = SpecWriter.ToJson(SpecReader.Parse(json));

        Assert.Equal(once, SpecWriter.ToJson(SpecReader.Parse(once)));
    }

    [Fact]
    public void EveryDefaultIsWrittenExplicitly()
    {
        var spec = SpecReader.Parse(Json("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 4}}"));

        using var document = JsonDocument.Parse(SpecWriter.ToJson(spec));
        var root = document.RootElement;
        Assert.Equal(
            ["dimension", "kernel", "mobility", "regularization", "external", "particles", "time", "forces", "seed", "outputs"],
            Keys(root));
        Assert.Equal("log", root.GetProperty("kernel").GetString());
        Assert.Equal("isotropic", root.GetProperty("mobility").GetString());
        Assert.Equal(["type", "delta"], Keys(root.GetProperty("regularization")));
        Assert.Equal("gaussian", root.GetProperty("regularization").GetProperty("type").GetString());
        Assert.Equal(0.01, root.GetProperty("regularization").GetProperty("delta").GetDouble());
        Assert.Equal(["modes", "force"], Keys(root.GetProperty("external")));
        Assert.Equal(0, root.GetProperty("external").GetProperty("modes").GetArrayLength());
        Assert.Equal(["init", "n", "positive_fraction"], Keys(root.GetProperty("particles")));
        Assert.Equal(0.5, root.GetProperty("particles").GetProperty("positive_fraction").GetDouble());
        Assert.Equal(["end", "integrator", "rtol", "atol", "outputs", "step"], Keys(root.GetProperty("time")));
        Assert.Equal("dp45", root.GetProperty("time").GetProperty("integrator").GetString());
        Assert.Equal(["method", "tolerance", "simd", "threads", "device"], Keys(root.GetProperty("forces")));
        Assert.Equal("auto", root.GetProperty("forces").GetProperty("method").GetString());
        Assert.Equal(1UL, root.GetProperty("seed").GetUInt64());
    }

    [Fact]
    public void VectorsAreAlwaysArraysAndDipoleDefaultsAreExplicit()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 1, 'external': {'force': 0.5}, 'particles': {'init': 'dipoles', 'count': 2, 'half_width': 0.01}}"));

        string json = SpecWriter.ToJson(spec, indented: false);

        Assert.Contains("\"force\":[0.5]", json);
        Assert.Contains("\"half_width\":[0.01]", json);
        Assert.Contains("\"random_orientation\":false", json);
        Assert.DoesNotContain("centre_density", json);
    }

    [Fact]
    public void ExplicitPositionsAreWrittenAsWrapped()
    {
        var spec = SpecReader.Parse(Json("{'dimension': 1, 'particles': {'positions': [1.25, -0.25], 'signs': [1, -1]}}"));

        string json = SpecWriter.ToJson(spec, indented: false);

        Assert.Contains("\"positions\":[[0.25],[0.75]],\"signs\":[1,-1]", json);
    }

    [Fact]
    public void IndentedOutputPutsOneParticleOrGridRowPerLine()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 2, 'particles': {'positions': [[0.1, 0.2], [1.5, -3e-7]], 'signs': [1, -1]}}"));
        var grid = SpecReader.Parse(Json(
            "{'dimension': 2, 'particles': {'init': 'density', 'n': 5, 'positive': [[0.1, 0.2], [1.5, 3e-7]], 'negative': [[1]]}}"));

        Assert.Contains(
            "  \"particles\": {\n    \"positions\": [\n      [0.1, 0.2],\n      [0.5, 0.9999997]\n    ],\n    \"signs\": [1, -1]\n  },\n",
            SpecWriter.ToJson(spec));
        Assert.Contains(
            "    \"positive\": [\n      [0.1, 0.2],\n      [1.5, 3E-07]\n    ],\n    \"negative\": [\n      [1]\n    ]\n",
            SpecWriter.ToJson(grid));
    }

    [Fact]
    public void CompactOutputIsOneLineAndIndentedOutputUsesLineFeeds()
    {
        var spec = SpecReader.Parse(FullExample);

        Assert.DoesNotContain('\n', SpecWriter.ToJson(spec, indented: false));
        string indented = SpecWriter.ToJson(spec);
        Assert.Contains("\n  \"kernel\": \"log\"", indented);
        Assert.DoesNotContain('\r', indented);
    }

    [Fact]
    public void RandomSpecsRoundTripExactly()
    {
        var random = new Random(20240611);
        for (int trial = 0; trial < 300; trial++)
        {
            var spec = RandomSpec(random);
            string json = SpecWriter.ToJson(spec, indented: trial % 2 == 0);
            SpecAssert.Equal(spec, SpecReader.Parse(json));
        }
    }

    [Fact]
    public void EveryJsonExampleInTheFieldReferenceParsesAndRoundTrips()
    {
        string text = File.ReadAllText(FindSpecDoc());
        var blocks = JsonBlock().Matches(text);

        Assert.NotEmpty(blocks);
        foreach (Match block in blocks)
        {
            var spec = SpecReader.Parse(block.Groups[1].Value);
            SpecAssert.Equal(spec, SpecReader.Parse(SpecWriter.ToJson(spec)));
        }
    }

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    private static string FindSpecDoc([CallerFilePath] string sourceFile = "")
    {
        // The source tree location when known; otherwise walk up from the test binaries to the solution.
        var candidates = new List<string>();
        if (Path.GetDirectoryName(sourceFile) is { } sourceDir)
        {
            candidates.Add(Path.GetFullPath(Path.Combine(sourceDir, "..", "..", "..", "docs", "spec.md")));
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "docs", "spec.md"));
        }
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"docs/spec.md not found; looked in {string.Join(", ", candidates)}");
    }

    /// <summary>A random valid spec, with awkward doubles (tiny, huge, many digits) wherever doubles go.</summary>
    private static SimulationSpec RandomSpec(Random random)
    {
        int d = random.Next(1, 3);
        var kernel = d == 2 && random.Next(2) == 0 ? KernelType.Edge : KernelType.Log;
        var mobility = d == 2 && random.Next(2) == 0 ? MobilityType.Glide : MobilityType.Isotropic;
        var regularization = new Regularization(
            (RegularizationType)random.Next(3), Math.Min(0.25, Math.Pow(10, -12 * random.NextDouble()) * 0.25));
        var modes = Enumerable.Range(0, random.Next(4))
            .Select(_ =>
            {
                var k = Enumerable.Range(0, d).Select(_ => random.Next(-5, 6)).ToArray();
                k[0] = k[0] == 0 ? 1 : k[0];
                return new FourierMode(k, Awkward(random), Awkward(random));
            })
            .ToList();
        var external = new ExternalPotential(modes, Enumerable.Range(0, d).Select(_ => Awkward(random)).ToArray());
        var system = new SystemModel(d, kernel, mobility, regularization, external);
        var time = new TimeSpec(
            Positive(random), (IntegratorType)random.Next(2), Positive(random), Positive(random),
            random.Next(2, 100_001), Positive(random));
        // pme only where the case has a fast path (the reader refuses it elsewhere).
        var method = (ForceMethod)random.Next(KernelCases.For(system).FastPath.Supported ? 3 : 2);
        // device "opencl" only with a method and a case that can run on it; forces.opencl only off the CPU.
        var device = method == ForceMethod.Reference || !KernelCases.For(system).OpenCl.Supported
            ? (ForceDevice)(2 * random.Next(2))
            : (ForceDevice)random.Next(3);
        var openCl = device != ForceDevice.Cpu && random.Next(2) == 0 ? new OpenClChoice(random.Next(4), random.Next(4)) : null;
        var forces = new ForcesSpec(method, Math.Max(1e-300, 0.1 * random.NextDouble()),
            (SimdPath)random.Next(4), random.Next(3), device, openCl);
        ulong seed = (ulong)random.NextInt64() * 2 + (ulong)random.Next(2);
        return new SimulationSpec(system, RandomParticles(random, d), time, forces, seed);
    }

    private static ParticleSource RandomParticles(Random random, int d)
    {
        switch (random.Next(4))
        {
            case 0:
                int n = random.Next(1, 20);
                var positions = Enumerable.Range(0, n)
                    .Select(_ => Enumerable.Range(0, d).Select(_ => Torus.Wrap(Awkward(random))).ToArray())
                    .ToArray();
                var signs = Enumerable.Range(0, n).Select(_ => (sbyte)(random.Next(2) * 2 - 1)).ToArray();
                return new ExplicitParticles(positions, signs);
            case 1:
                return new UniformParticles(random.Next(1, SpecReader.MaxParticles + 1), random.NextDouble());
            case 2:
                return new DensityParticles(random.Next(1, 100_000), RandomGrid(random, d), RandomGrid(random, d));
            default:
                var halfWidth = Enumerable.Range(0, d).Select(_ => Awkward(random)).ToArray();
                halfWidth[0] = halfWidth[0] == 0 ? 1e-7 : halfWidth[0];
                return new DipoleParticles(
                    random.Next(1, SpecReader.MaxParticles / 2 + 1), halfWidth, random.Next(2) == 0,
                    random.Next(2) == 0 ? null : RandomGrid(random, d));
        }
    }

    private static DensityGrid RandomGrid(Random random, int d)
    {
        int[] shape = Enumerable.Range(0, d).Select(_ => random.Next(1, 6)).ToArray();
        var values = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(3) == 0 ? 0 : random.NextDouble() * Math.Pow(10, random.Next(-300, 300));
        }
        values[0] = values[0] == 0 ? 1 : values[0];
        return new DensityGrid(shape, values);
    }

    private static double Positive(Random random) => Math.Pow(10, random.Next(-12, 6)) * (0.5 + random.NextDouble());

    private static double Awkward(Random random) => random.Next(6) switch
    {
        0 => 0.0,
        1 => random.NextDouble(),
        2 => -random.NextDouble() * 1e-300,
        3 => (random.NextDouble() - 0.5) * 1e300,
        4 => 1.0 / random.Next(1, 1000),
        _ => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FEF_FFFF_FFFF_FFFF)) * (random.Next(2) * 2 - 1),
    };
}
