using System.Text.Json;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>Reads the spec's <c>particles</c> block: explicit positions and signs, or one of the <c>init</c> forms.</summary>
internal static class ParticleSourceReader
{
    private const int MaxDipoles = SpecReader.MaxParticles / 2;

    private static readonly string CountRange = $"an integer in 1..{SpecReader.MaxParticles}";

    public static ParticleSource Read(JsonElement element, string path, int dimension)
    {
        var block = SpecObject.Open(element, path);
        if (block.TryGet("init", out var init))
        {
            return SpecNames.Init.Read(init, block.PathOf("init")) switch
            {
                ParticleInit.Uniform => ReadUniform(block),
                ParticleInit.Density => ReadDensity(block, dimension),
                ParticleInit.Dipoles => ReadDipoles(block, dimension),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
        if (block.Has("positions") || block.Has("signs"))
        {
            return ReadExplicit(block, dimension);
        }
        throw new SpecException(
            path, $"expected explicit \"positions\" and \"signs\", or \"init\" (one of {SpecNames.Init.Allowed})");
    }

    private static ExplicitParticles ReadExplicit(SpecObject block, int dimension)
    {
        block.RestrictTo("positions", "signs");
        string positionsPath = block.PathOf("positions");
        var positionsElement = block.Required("positions");
        int count = JsonValues.ArrayLength(positionsElement, positionsPath);
        if (count is < 1 or > SpecReader.MaxParticles)
        {
            throw new SpecException(positionsPath, $"must hold 1..{SpecReader.MaxParticles} particles, got {count}");
        }

        // Positions outside [0,1)^d are wrapped onto the torus (documented, not an error).
        var positions = new double[count][];
        int i = 0;
        foreach (var item in positionsElement.EnumerateArray())
        {
            // Paths are built only for the error message: a spec may hold millions of positions.
            var point = new double[dimension];
            if (!JsonValues.TryVectorFast(item, point))
            {
                point = JsonValues.Vector(item, JsonPath.Index(positionsPath, i), dimension);
            }
            for (int a = 0; a < dimension; a++)
            {
                point[a] = Torus.Wrap(point[a]);
            }
            positions[i] = point;
            i++;
        }

        string signsPath = block.PathOf("signs");
        var signsElement = block.Required("signs");
        int signCount = JsonValues.ArrayLength(signsElement, signsPath);
        if (signCount != count)
        {
            throw new SpecException(signsPath, $"has {signCount} entries but positions has {count}; they must be equal");
        }
        var signs = new sbyte[count];
        i = 0;
        foreach (var item in signsElement.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int sign) && sign is 1 or -1)
            {
                signs[i] = (sbyte)sign;
            }
            else
            {
                string signPath = JsonPath.Index(signsPath, i);
                signs[i] = (sbyte)JsonValues.Integer(item, signPath, -1, 1, "1 or -1");
                if (signs[i] == 0)
                {
                    throw new SpecException(signPath, $"must be 1 or -1, got {JsonValues.Truncate(item.GetRawText())}");
                }
            }
            i++;
        }
        return new ExplicitParticles(positions, signs);
    }

    private static UniformParticles ReadUniform(SpecObject block)
    {
        block.RestrictTo("init", "n", "positive_fraction");
        int n = (int)block.RequiredInteger("n", 1, SpecReader.MaxParticles, CountRange);
        double fraction = block.Double("positive_fraction", 0.5);
        if (fraction is < 0 or > 1)
        {
            throw new SpecException(block.PathOf("positive_fraction"), $"must be in [0, 1], got {SpecFormat.Number(fraction)}");
        }
        return new UniformParticles(n, fraction);
    }

    private static DensityParticles ReadDensity(SpecObject block, int dimension)
    {
        block.RestrictTo("init", "n", "positive", "negative");
        int n = (int)block.RequiredInteger("n", 1, SpecReader.MaxParticles, CountRange);
        var positive = ReadGrid(block.Required("positive"), block.PathOf("positive"), dimension, out double positiveMass);
        var negative = ReadGrid(block.Required("negative"), block.PathOf("negative"), dimension, out double negativeMass);
        if (!double.IsFinite(positiveMass + negativeMass))
        {
            throw new SpecException(block.Path, "the total mass of positive and negative overflows");
        }
        if (positiveMass + negativeMass <= 0)
        {
            throw new SpecException(block.Path, "positive and negative both have zero total mass");
        }
        return new DensityParticles(n, positive, negative);
    }

    private static DipoleParticles ReadDipoles(SpecObject block, int dimension)
    {
        block.RestrictTo("init", "count", "half_width", "random_orientation", "centre_density");
        int count = (int)block.RequiredInteger(
            "count", 1, MaxDipoles, $"an integer in 1..{MaxDipoles} (two particles per dipole)");
        string halfWidthPath = block.PathOf("half_width");
        double[] halfWidth = JsonValues.Vector(block.Required("half_width"), halfWidthPath, dimension);
        if (halfWidth.All(h => h == 0))
        {
            throw new SpecException(halfWidthPath, "must not be all zero (the two members of a dipole would coincide)");
        }
        bool randomOrientation = block.Boolean("random_orientation", false);
        DensityGrid? centres = null;
        if (block.TryGet("centre_density", out var grid))
        {
            string gridPath = block.PathOf("centre_density");
            centres = ReadGrid(grid, gridPath, dimension, out double mass);
            if (!(mass > 0 && double.IsFinite(mass)))
            {
                throw new SpecException(gridPath, mass > 0 ? "total mass overflows" : "total mass is zero");
            }
        }
        return new DipoleParticles(count, halfWidth, randomOrientation, centres);
    }

    /// <summary>
    /// A density grid: 1D a list of M ≥ 1 numbers; 2D a list of M1 ≥ 1 rows of M2 ≥ 1 numbers each (row index
    /// along x1). Values are finite and non-negative; <paramref name="sum"/> is their plain sum.
    /// </summary>
    internal static DensityGrid ReadGrid(JsonElement element, string path, int dimension, out double sum)
    {
        int rows = JsonValues.ArrayLength(element, path);
        if (rows < 1)
        {
            throw new SpecException(path, "must not be empty");
        }
        var first = element[0];
        bool nested = first.ValueKind == JsonValueKind.Array;
        if (nested && dimension == 1)
        {
            throw new SpecException(path, "is a 2D grid (a list of rows) but dimension is 1; expected a list of numbers");
        }
        if (!nested && dimension == 2)
        {
            throw new SpecException(
                path, $"expected a 2D grid (a list of rows, each a list of numbers), got {JsonValues.Describe(first)} in {JsonPath.Index(path, 0)}");
        }

        sum = 0;
        if (dimension == 1)
        {
            var values = new double[rows];
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                values[i] = CellValue(item, path, i);
                sum += values[i];
                i++;
            }
            return new DensityGrid([rows], values);
        }

        int columns = first.GetArrayLength();
        if (columns < 1)
        {
            throw new SpecException(JsonPath.Index(path, 0), "a row must not be empty");
        }
        var cells = new double[checked(rows * columns)];
        int r = 0;
        foreach (var row in element.EnumerateArray())
        {
            string rowPath = JsonPath.Index(path, r);
            int length = JsonValues.ArrayLength(row, rowPath);
            if (length != columns)
            {
                throw new SpecException(rowPath, $"has {length} values but row 0 has {columns}; rows must have equal length");
            }
            int c = 0;
            foreach (var item in row.EnumerateArray())
            {
                double value = CellValue(item, rowPath, c);
                cells[r * columns + c] = value;
                sum += value;
                c++;
            }
            r++;
        }
        return new DensityGrid([rows, columns], cells);
    }

    /// <summary>One grid value; the path <c>parent[index]</c> is built only for an error.</summary>
    private static double CellValue(JsonElement item, string parentPath, int index)
    {
        if (item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out double fast) && double.IsFinite(fast) && fast >= 0)
        {
            return fast;
        }
        string path = JsonPath.Index(parentPath, index);
        double value = JsonValues.FiniteDouble(item, path);
        return value >= 0 ? value : throw new SpecException(path, $"must be non-negative, got {JsonValues.Truncate(item.GetRawText())}");
    }
}
