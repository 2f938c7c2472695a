using System.Text.Json;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>
/// Reads the <c>"model": "continuum"</c> form of a spec (docs/continuum.md): the shared physics keys, <c>grid</c>,
/// <c>densities</c> and a <c>time</c> block of its own (end, outputs, cfl). Each density is checked on the grid
/// (shape, non-negative cell averages) so that every error names its JSON path.
/// </summary>
internal static class ContinuumSpecReader
{
    /// <summary>The most cells along one axis.</summary>
    public const int MaxCells = 8192;

    /// <summary>The fewest cells along one axis.</summary>
    public const int MinCells = 4;

    public static ContinuumSpec Read(SpecObject top)
    {
        top.RestrictTo(
            "model", "dimension", "kernel", "mobility", "regularization", "external", "grid", "densities", "time");
        var system = SpecReader.ReadSystem(top);
        int dimension = system.Dimension;
        int[] shape = ReadGridShape(top.Required("grid"), top.PathOf("grid"), dimension);
        var grid = new ContinuumGrid(shape);

        var densities = SpecObject.Open(top.Required("densities"), top.PathOf("densities")).RestrictTo("positive", "negative");
        var positive = ReadDensity(densities.Required("positive"), densities.PathOf("positive"), dimension);
        var negative = ReadDensity(densities.Required("negative"), densities.PathOf("negative"), dimension);
        double mass = grid.Integrate(InitialDensity.CellAverages(grid, positive, densities.PathOf("positive")))
            + grid.Integrate(InitialDensity.CellAverages(grid, negative, densities.PathOf("negative")));
        if (!(mass > 0 && double.IsFinite(mass)))
        {
            throw new SpecException(densities.Path, $"the total mass of positive and negative must be positive and finite, got {SpecFormat.Number(mass)}");
        }

        double end = 1.0, cfl = GromaBaloghSolver.DefaultCfl;
        int outputs = TimeSpec.Default.Outputs;
        if (top.TryGet("time", out var t))
        {
            var time = SpecObject.Open(t, top.PathOf("time")).RestrictTo("end", "outputs", "cfl");
            end = SpecReader.Positive(time, "end", end);
            outputs = (int)time.Integer("outputs", outputs, 2, SpecReader.MaxOutputs);
            cfl = time.Double("cfl", cfl);
            if (!(cfl > 0 && cfl <= 0.5))
            {
                throw new SpecException(time.PathOf("cfl"), $"must be in (0, 0.5], got {SpecFormat.Number(cfl)}");
            }
        }
        return new ContinuumSpec(system, shape, positive, negative, end, outputs, cfl);
    }

    private static int[] ReadGridShape(JsonElement element, string path, int dimension)
    {
        int[] shape = JsonValues.IntegerVector(element, path, dimension);
        for (int a = 0; a < shape.Length; a++)
        {
            if (shape[a] is < MinCells or > MaxCells)
            {
                throw new SpecException(JsonPath.Index(path, a), $"must be in {MinCells} … {MaxCells} cells, got {shape[a]}");
            }
        }
        if (dimension == 2 && (long)shape[0] * shape[1] > 1 << 24)
        {
            throw new SpecException(path, $"at most {1 << 24} cells, got {(long)shape[0] * shape[1]}");
        }
        return shape;
    }

    /// <summary>A density: a grid (JSON array) or <c>{ "mean": c, "modes": [ … ] }</c>.</summary>
    private static ContinuumDensity ReadDensity(JsonElement element, string path, int dimension)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return new GridDensity(ParticleSourceReader.ReadGrid(element, path, dimension, out _));
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, $"expected a grid (array) or an object with mean and modes, got {JsonValues.Describe(element)}");
        }
        var block = SpecObject.Open(element, path).RestrictTo("mean", "modes");
        double mean = block.Double("mean", 0.0);
        var modes = new List<FourierMode>();
        if (block.TryGet("modes", out var modesElement))
        {
            string modesPath = block.PathOf("modes");
            JsonValues.ArrayLength(modesElement, modesPath);
            int index = 0;
            foreach (var item in modesElement.EnumerateArray())
            {
                modes.Add(SpecReader.ReadMode(item, JsonPath.Index(modesPath, index), dimension));
                index++;
            }
        }
        return new ModeDensity(mean, modes);
    }
}
