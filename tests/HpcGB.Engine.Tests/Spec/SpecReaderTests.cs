using System.Text;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>Valid specs: defaults, the documented example, every particle form, integers, wrapping, files.</summary>
public sealed class SpecReaderTests
{
    /// <summary>Single quotes stand for double quotes, so JSON fits in C# literals.</summary>
    internal static string Json(string text) => text.Replace('\'', '"');

    internal const string FullExample = """
        { "dimension": 2, "kernel": "log", "mobility": "isotropic",
          "regularization": { "type": "gaussian", "delta": 0.001 },
          "external": { "modes": [ { "k": [1, 0], "cos": 0.1, "sin": 0.0 } ], "force": [0.0, 0.0] },
          "particles": { "positions": [[0.1, 0.2], [0.3, 0.4]], "signs": [1, -1] },
          "time": { "end": 1.0, "integrator": "dp45", "rtol": 1e-6, "atol": 1e-9, "outputs": 11, "step": 1e-3 },
          "forces": { "method": "reference", "tolerance": 1e-6 },
          "seed": 1 }
        """;

    [Fact]
    public void MinimalSpecGetsEveryDocumentedDefault()
    {
        var spec = SpecReader.Parse(Json("{'dimension': 2, 'particles': {'positions': [[0.5, 0.25]], 'signs': [-1]}}"));

        Assert.Equal(2, spec.Dimension);
        Assert.Equal(KernelType.Log, spec.System.Kernel);
        Assert.Equal(MobilityType.Isotropic, spec.System.Mobility);
        Assert.Equal(new Regularization(RegularizationType.Gaussian, 0.01), spec.System.Regularization);
        Assert.Equal(Regularization.Default, spec.System.Regularization);
        Assert.Empty(spec.System.External.Modes);
        Assert.Equal([0.0, 0.0], spec.System.External.Force);
        Assert.True(spec.System.External.IsZero);
        Assert.Equal(new TimeSpec(1.0, IntegratorType.Dp45, 1e-6, 1e-9, 11, 1e-3), spec.Time);
        Assert.Equal(TimeSpec.Default, spec.Time);
        Assert.Equal(new ForcesSpec(ForceMethod.Auto, 1e-6), spec.Forces);
        Assert.Equal(1UL, spec.Seed);
        var particles = Assert.IsType<ExplicitParticles>(spec.Particles);
        Assert.Equal([0.5, 0.25], Assert.Single(particles.Positions));
        Assert.Equal([(sbyte)-1], particles.Signs);
    }

    [Fact]
    public void MinimalOneDimensionalSpecHasOneComponentForce()
    {
        var spec = SpecReader.Parse(Json("{'dimension': 1, 'particles': {'positions': [0.5], 'signs': [1]}}"));

        Assert.Equal(1, spec.Dimension);
        Assert.Equal([0.0], spec.System.External.Force);
        Assert.Equal([0.5], Assert.Single(((ExplicitParticles)spec.Particles).Positions));
    }

    [Fact]
    public void FullExampleParsesToTheExpectedRecords()
    {
        var spec = SpecReader.Parse(FullExample);

        var expected = new SimulationSpec(
            new SystemModel(
                2,
                KernelType.Log,
                MobilityType.Isotropic,
                new Regularization(RegularizationType.Gaussian, 0.001),
                new ExternalPotential([new FourierMode([1, 0], 0.1, 0.0)], [0.0, 0.0])),
            new ExplicitParticles([[0.1, 0.2], [0.3, 0.4]], [1, -1]),
            new TimeSpec(1.0, IntegratorType.Dp45, 1e-6, 1e-9, 11, 1e-3),
            new ForcesSpec(ForceMethod.Reference, 1e-6),
            1);
        SpecAssert.Equal(expected, spec);
    }

    [Fact]
    public void EveryNonDefaultValueIsRead()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 2, 'kernel': 'edge', 'mobility': 'glide',
              'regularization': { 'type': 'poisson', 'delta': 0.25 },
              'external': { 'modes': [ { 'k': [0, -3], 'sin': 2.5 }, { 'k': [2, 1], 'cos': -1 } ], 'force': [0.5, -0.25] },
              'particles': { 'init': 'uniform', 'n': 50000000, 'positive_fraction': 0 },
              'time': { 'end': 7.5, 'integrator': 'euler', 'rtol': 0.5, 'atol': 3, 'outputs': 100000, 'step': 2e-5 },
              'forces': { 'method': 'auto', 'tolerance': 0.1 },
              'seed': 18446744073709551615 }
            """));

        var expected = new SimulationSpec(
            new SystemModel(
                2,
                KernelType.Edge,
                MobilityType.Glide,
                new Regularization(RegularizationType.Poisson, 0.25),
                new ExternalPotential([new FourierMode([0, -3], 0, 2.5), new FourierMode([2, 1], -1, 0)], [0.5, -0.25])),
            new UniformParticles(50_000_000, 0.0),
            new TimeSpec(7.5, IntegratorType.Euler, 0.5, 3, 100_000, 2e-5),
            new ForcesSpec(ForceMethod.Auto, 0.1),
            ulong.MaxValue);
        SpecAssert.Equal(expected, spec);
    }

    [Theory]
    [InlineData("{'type': 'poisson'}", RegularizationType.Poisson, 0.01)]
    [InlineData("{'type': 'none'}", RegularizationType.None, 0.01)]
    [InlineData("{'delta': 1e-9}", RegularizationType.Gaussian, 1e-9)]
    [InlineData("{}", RegularizationType.Gaussian, 0.01)]
    public void PartialRegularizationBlockTakesDefaultsForMissingFields(string block, RegularizationType type, double delta)
    {
        var spec = SpecReader.Parse(Json($"{{'dimension': 1, 'regularization': {block}, 'particles': {{'positions': [0], 'signs': [1]}}}}"));

        Assert.Equal(new Regularization(type, delta), spec.System.Regularization);
    }

    [Fact]
    public void PartialBlocksTakeDefaultsForMissingFields()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 2, 'particles': { 'positions': [[0, 0]], 'signs': [1] },
              'external': { 'modes': [ { 'k': [1, 1] } ] }, 'time': { 'end': 3 }, 'forces': { 'method': 'reference' } }
            """));

        var mode = Assert.Single(spec.System.External.Modes);
        Assert.Equal(0.0, mode.Cos);
        Assert.Equal(0.0, mode.Sin);
        Assert.Equal([0.0, 0.0], spec.System.External.Force);
        Assert.Equal(TimeSpec.Default with { End = 3 }, spec.Time);
        Assert.Equal(ForcesSpec.Default with { Method = ForceMethod.Reference }, spec.Forces);
    }

    [Fact]
    public void PositionsOutsideTheUnitCellAreWrappedOntoTheTorus()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 2, 'particles': {'positions': [[1.25, -0.25], [1, 2.5], [-3, 0.999]], 'signs': [1, -1, 1]}}"));

        var positions = ((ExplicitParticles)spec.Particles).Positions;
        Assert.Equal([0.25, 0.75], positions[0]);
        Assert.Equal([0.0, 0.5], positions[1]);
        Assert.Equal([0.0, 0.999], positions[2]);
    }

    [Fact]
    public void OneDimensionalVectorsMayBePlainNumbers()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 1, 'external': { 'modes': [ { 'k': 2, 'cos': 1 }, { 'k': [-1] } ], 'force': 0.5 },
              'particles': { 'positions': [0.1, [0.2], 1.3], 'signs': [1, -1, 1] } }
            """));

        Assert.Equal([2], spec.System.External.Modes[0].K);
        Assert.Equal([-1], spec.System.External.Modes[1].K);
        Assert.Equal([0.5], spec.System.External.Force);
        var positions = ((ExplicitParticles)spec.Particles).Positions;
        Assert.Equal([0.1], positions[0]);
        Assert.Equal([0.2], positions[1]);
        Assert.Equal(0.3, positions[2][0], 15);
    }

    [Fact]
    public void IntegralNumbersAreAcceptedWhereIntegersAreExpected()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 2.0, 'external': { 'modes': [ { 'k': [1.0, -2e0] } ] },
              'particles': { 'init': 'uniform', 'n': 1e3 }, 'time': { 'outputs': 5.0 }, 'seed': 4.2e1 }
            """));

        Assert.Equal(2, spec.Dimension);
        Assert.Equal([1, -2], spec.System.External.Modes[0].K);
        Assert.Equal(1000, ((UniformParticles)spec.Particles).Count);
        Assert.Equal(5, spec.Time.Outputs);
        Assert.Equal(42UL, spec.Seed);

        var signs = SpecReader.Parse(Json("{'dimension': 1, 'particles': {'positions': [0, 0.5], 'signs': [1.0, -1.0]}}"));
        Assert.Equal([(sbyte)1, (sbyte)-1], ((ExplicitParticles)signs.Particles).Signs);
    }

    [Fact]
    public void IntegersAreAcceptedWhereDoublesAreExpected()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 1, 'particles': {'positions': [0], 'signs': [1]}, 'time': {'end': 10, 'rtol': 1, 'step': 1}}"));

        Assert.Equal(10.0, spec.Time.End);
        Assert.Equal(1.0, spec.Time.Rtol);
    }

    [Fact]
    public void UniformFractionDefaultsToOneHalf()
    {
        var spec = SpecReader.Parse(Json("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 1000}}"));

        Assert.Equal(new UniformParticles(1000, 0.5), spec.Particles);
    }

    [Fact]
    public void TwoDimensionalDensityGridIsStoredRowMajorWithX1Slowest()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 2, 'particles': { 'init': 'density', 'n': 600,
              'positive': [[1, 2, 3], [4, 5, 6]], 'negative': [[0]] } }
            """));

        var density = Assert.IsType<DensityParticles>(spec.Particles);
        Assert.Equal(600, density.Count);
        Assert.Equal([2, 3], density.Positive.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], density.Positive.Values);
        Assert.Equal(2, density.Positive.Dimension);
        Assert.Equal([1, 1], density.Negative.Shape);
        Assert.Equal([0.0], density.Negative.Values);
    }

    [Fact]
    public void OneDimensionalDensityGridsMayHaveDifferentSizes()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 1, 'particles': {'init': 'density', 'n': 10, 'positive': [0, 0], 'negative': [1, 0.5, 2]}}"));

        var density = Assert.IsType<DensityParticles>(spec.Particles);
        SpecAssert.Equal(new DensityGrid([2], [0.0, 0.0]), density.Positive);
        SpecAssert.Equal(new DensityGrid([3], [1.0, 0.5, 2.0]), density.Negative);
    }

    [Fact]
    public void DipolesDefaultToFixedOrientationAndUniformCentres()
    {
        var spec = SpecReader.Parse(Json(
            "{'dimension': 2, 'particles': {'init': 'dipoles', 'count': 500, 'half_width': [1e-4, 0]}}"));

        var dipoles = Assert.IsType<DipoleParticles>(spec.Particles);
        Assert.Equal(500, dipoles.Count);
        Assert.Equal([1e-4, 0.0], dipoles.HalfWidth);
        Assert.False(dipoles.RandomOrientation);
        Assert.Null(dipoles.CentreDensity);
    }

    [Fact]
    public void DipolesReadEveryField()
    {
        var spec = SpecReader.Parse(Json("""
            { 'dimension': 1, 'particles': { 'init': 'dipoles', 'count': 25000000, 'half_width': -1e-9,
              'random_orientation': true, 'centre_density': [1, 0, 3] } }
            """));

        var expected = new DipoleParticles(25_000_000, [-1e-9], true, new DensityGrid([3], [1.0, 0.0, 3.0]));
        SpecAssert.Equal(expected, spec.Particles);
    }

    [Fact]
    public void KeysMayAppearInAnyOrder()
    {
        var spec = SpecReader.Parse(Json(
            "{'seed': 7, 'particles': {'signs': [1], 'positions': [[0.5, 0.5]]}, 'kernel': 'edge', 'dimension': 2}"));

        Assert.Equal(KernelType.Edge, spec.System.Kernel);
        Assert.Equal(7UL, spec.Seed);
    }

    [Fact]
    public void ParseFileReadsUtf8WithOrWithoutByteOrderMark()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, FullExample, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            SpecAssert.Equal(SpecReader.Parse(FullExample), SpecReader.ParseFile(path));
            File.WriteAllText(path, FullExample, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            SpecAssert.Equal(SpecReader.Parse(FullExample), SpecReader.ParseFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ParseFileRejectsAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-missing-{Guid.NewGuid():N}.json");

        var ex = Assert.Throws<SpecException>(() => SpecReader.ParseFile(path));

        Assert.Equal("$", ex.Path);
        Assert.Contains("cannot read spec file", ex.Reason);
        Assert.Contains(path, ex.Reason);
    }

    [Fact]
    public void ParseFileRejectsADirectory()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.ParseFile(Path.GetTempPath()));

        Assert.Equal("$", ex.Path);
        Assert.Contains("cannot read spec file", ex.Reason);
    }

    [Fact]
    public void ParseFileRejectsInvalidUtf8()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-spec-{Guid.NewGuid():N}.json");
        try
        {
            byte[] bytes = [.. Encoding.ASCII.GetBytes("{\"dimension\": 1, \"particles\": \"a"), 0xFF, .. Encoding.ASCII.GetBytes("\"}")];
            File.WriteAllBytes(path, bytes);
            var ex = Assert.Throws<SpecException>(() => SpecReader.ParseFile(path));
            Assert.Equal("$", ex.Path);
            Assert.Contains("not valid UTF-8", ex.Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ParseFileReportsFieldErrorsWithTheirPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Json("{'dimension': 2, 'particles': {'init': 'uniform', 'n': 0}}"));
            var ex = Assert.Throws<SpecException>(() => SpecReader.ParseFile(path));
            Assert.Equal("$.particles.n", ex.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExceptionMessageIsPathColonReason()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse(Json("{'dimension': 2, 'particles': {'init': 'uniform', 'n': -5}}")));

        Assert.Equal($"{ex.Path}: {ex.Reason}", ex.Message);
        Assert.Equal("$.particles.n: must be an integer in 1..50000000, got -5", ex.Message);
    }
}
