using System.Text.Json.Nodes;

namespace HpcGB.Host.Sweeps;

/// <summary>One varied parameter: a dotted path into the base spec and the values it takes.</summary>
/// <param name="Path">Dotted, e.g. <c>particles.n</c>; a numeric segment indexes an array (<c>external.modes.0.cos</c>).</param>
/// <param name="Values">The JSON values, each validated with the spec it generates.</param>
internal sealed record SweepAxis(string Path, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>Where this axis sits in the sweep file, e.g. <c>$.vary["particles.n"]</c>.</summary>
    public string FilePath => $"$.vary[\"{Path}\"]";

    /// <summary>The JSON path in a generated spec, e.g. <c>$.particles.n</c>.</summary>
    public string SpecPath => "$." + Path;
}

/// <summary>δ = c·n^(−β) per run, n the run's particle count.</summary>
internal sealed record DeltaRule(double C, double Beta)
{
    public double Delta(int particles) => C * Math.Pow(particles, -Beta);
}

/// <summary>A sweep file (docs/sweeps.md): a base spec, the varied parameters, how they combine, an optional δ rule.</summary>
/// <param name="Zip">False: the cartesian product, the last axis varying fastest; true: the lists paired element-wise.</param>
internal sealed record SweepFile(JsonObject Base, IReadOnlyList<SweepAxis> Vary, bool Zip, DeltaRule? DeltaRule);
