using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>The <c>"model": "continuum"</c> form: defaults, both density forms, and one rejection per rule.</summary>
public sealed class ContinuumSpecTests
{
    private const string D1 = "'densities': {'positive': {'mean': 1, 'modes': [{'k': 1, 'cos': 0.5}]}, 'negative': [1, 2, 1, 0]}";

    [Fact]
    public void ReadsAMinimalSpecWithDefaults()
    {
        var spec = Assert.IsType<ContinuumSpec>(SpecReader.ParseRun(SpecReaderTests.Json(
            "{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + "}")));

        Assert.Equal([4], spec.Grid);
        Assert.Equal(1.0, spec.End);
        Assert.Equal(11, spec.Outputs);
        Assert.Equal(GromaBaloghSolver.DefaultCfl, spec.Cfl);
        Assert.Equal(Regularization.Default, spec.System.Regularization);
        var positive = Assert.IsType<ModeDensity>(spec.Positive);
        Assert.Equal(1.0, positive.Mean);
        Assert.Equal([1], positive.Modes[0].K);
        Assert.Equal([1.0, 2.0, 1.0, 0.0], Assert.IsType<GridDensity>(spec.Negative).Grid.Values);
    }

    [Fact]
    public void ReadsA2DGlideSpecWithEverything()
    {
        var spec = Assert.IsType<ContinuumSpec>(SpecReader.ParseRun(SpecReaderTests.Json(
            "{'model': 'continuum', 'dimension': 2, 'kernel': 'edge', 'mobility': 'glide', " +
            "'regularization': {'type': 'none'}, 'external': {'modes': [{'k': [1, 0], 'sin': 0.1}], 'force': [0.2, 0]}, " +
            "'grid': [8, 4], 'densities': {'positive': {'mean': 1}, 'negative': {'mean': 1, 'modes': [{'k': [0, 1], 'sin': 0.3}]}}, " +
            "'time': {'end': 0.5, 'outputs': 3, 'cfl': 0.25}}")));

        Assert.Equal([8, 4], spec.Grid);
        Assert.Equal(MobilityType.Glide, spec.System.Mobility);
        Assert.Equal((0.5, 3, 0.25), (spec.End, spec.Outputs, spec.Cfl));
        Assert.Equal(0.2, spec.System.External.Force[0]);
    }

    [Theory]
    [InlineData("continuum-1d-log.json")]
    [InlineData("continuum-2d-edge-glide.json")]
    public void NormalisedJsonReadsBackToTheSameJson(string file)
    {
        var spec = (ContinuumSpec)SpecReader.ParseRunFile(Path.Combine(Repository.Root, "docs", "examples", file));
        string json = SpecWriter.ToJson(spec);

        var again = Assert.IsType<ContinuumSpec>(SpecReader.ParseRun(json));
        Assert.Equal(json, SpecWriter.ToJson(again));
        Assert.StartsWith("{\n  \"model\": \"continuum\",", json, StringComparison.Ordinal);
        Assert.Equal(spec.Grid, again.Grid);
        Assert.Equal((spec.End, spec.Outputs, spec.Cfl), (again.End, again.Outputs, again.Cfl));
    }

    [Fact]
    public void NormalisedJsonKeepsGridDensities()
    {
        var spec = (ContinuumSpec)SpecReader.ParseRun(SpecReaderTests.Json("{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + "}"));
        var again = (ContinuumSpec)SpecReader.ParseRun(SpecWriter.ToJson(spec, indented: false));
        Assert.Equal([1.0, 2.0, 1.0, 0.0], Assert.IsType<GridDensity>(again.Negative).Grid.Values);
        Assert.Equal(0.5, Assert.IsType<ModeDensity>(again.Positive).Modes[0].Cos);
    }

    [Fact]
    public void ParticleParseRefusesAContinuumSpec()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse(SpecReaderTests.Json(
            "{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + "}")));
        Assert.Equal("$.model", ex.Path);
    }

    [Theory]
    [InlineData("{'model': 'pde', 'dimension': 1}", "$.model", "unknown value \"pde\"; allowed: particles, continuum")]
    [InlineData("{'model': 'continuum', 'dimension': 1, " + D1 + "}", "$.grid", "required")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4}", "$.densities", "required")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'particles': {}, " + D1 + "}", "$.particles", "unknown key; allowed: model, dimension")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 2, " + D1 + "}", "$.grid[0]", "must be in 4 … 8192 cells, got 2")]
    [InlineData("{'model': 'continuum', 'dimension': 2, 'grid': [8], " + D1 + "}", "$.grid", "must have length 2")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 8, " + D1 + "}", "$.densities.negative", "grid has shape [4], the solver grid is [8]")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'densities': {'positive': {'mean': 0.2, 'modes': [{'k': 1, 'cos': 1}]}, 'negative': [1, 1, 1, 1]}}", "$.densities.positive", "the density is negative in cell 1")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'densities': {'positive': [0, 0, 0, 0], 'negative': {'mean': 0}}}", "$.densities", "the total mass of positive and negative must be positive")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'densities': {'positive': 1, 'negative': [1, 1, 1, 1]}}", "$.densities.positive", "expected a grid (array) or an object")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'densities': {'positive': {'mean': 1, 'k': 1}, 'negative': [1, 1, 1, 1]}}", "$.densities.positive.k", "unknown key; allowed: mean, modes")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, 'densities': {'positive': {'modes': [{'k': 0}]}, 'negative': [1, 1, 1, 1]}}", "$.densities.positive.modes[0].k", "must not be all zero")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + ", 'time': {'cfl': 0.6}}", "$.time.cfl", "must be in (0, 0.5], got 0.6")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + ", 'time': {'rtol': 1e-6}}", "$.time.rtol", "unknown key; allowed: end, outputs, cfl")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'grid': 4, " + D1 + ", 'time': {'end': 0}}", "$.time.end", "must be > 0")]
    [InlineData("{'model': 'continuum', 'dimension': 1, 'kernel': 'edge', 'grid': 4, " + D1 + "}", "$.kernel", "requires dimension 2")]
    public void RejectsWithPathAndReason(string json, string path, string reasonFragment)
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.ParseRun(SpecReaderTests.Json(json)));

        Assert.Equal(path, ex.Path);
        Assert.Contains(reasonFragment, ex.Reason);
    }
}
