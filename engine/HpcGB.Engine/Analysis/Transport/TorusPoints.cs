using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis.Transport;

/// <summary>Point sets on the unit torus as checked, wrapped coordinate arrays <c>[axis][i]</c> (d = 1 or 2).</summary>
internal static class TorusPoints
{
    /// <summary>Copies of <paramref name="positions"/> wrapped into [0,1); checks shape and finiteness.</summary>
    public static double[][] Wrapped(double[][] positions, string name)
    {
        ArgumentNullException.ThrowIfNull(positions, name);
        if (positions.Length is < 1 or > 2)
        {
            throw new ArgumentException($"{name}: dimension must be 1 or 2, not {positions.Length}", name);
        }
        int n = positions[0].Length;
        var wrapped = new double[positions.Length][];
        for (int a = 0; a < positions.Length; a++)
        {
            if (positions[a].Length != n)
            {
                throw new ArgumentException($"{name}[{a}] has {positions[a].Length} entries, axis 0 has {n}", name);
            }
            wrapped[a] = new double[n];
            for (int i = 0; i < n; i++)
            {
                double x = positions[a][i];
                if (!double.IsFinite(x))
                {
                    throw new ArgumentException($"{name}[{a}][{i}] is not finite ({x})", name);
                }
                wrapped[a][i] = Torus.Wrap(x);
            }
        }
        return wrapped;
    }

    /// <summary>Checks that both sets live in the same dimension.</summary>
    public static void RequireSameDimension(double[][] x, double[][] y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"the point sets have dimensions {x.Length} and {y.Length}", nameof(y));
        }
    }

    /// <summary>|x_i − y_j|²_T, the squared nearest-image distance.</summary>
    public static double Distance2(double[][] x, int i, double[][] y, int j)
    {
        double sum = 0;
        for (int a = 0; a < x.Length; a++)
        {
            double r = Torus.Nearest(x[a][i] - y[a][j]);
            sum += r * r;
        }
        return sum;
    }

    /// <summary>Row i of the squared-distance matrix: <paramref name="row"/>[j] = |x_i − y_j|²_T.</summary>
    public static void Distance2Row(double[][] x, int i, double[][] y, Span<double> row)
    {
        double[] y0 = y[0];
        double x0 = x[0][i];
        if (x.Length == 1)
        {
            for (int j = 0; j < row.Length; j++)
            {
                double r = Torus.Nearest(x0 - y0[j]);
                row[j] = r * r;
            }
            return;
        }
        double[] y1 = y[1];
        double x1 = x[1][i];
        for (int j = 0; j < row.Length; j++)
        {
            double r0 = Torus.Nearest(x0 - y0[j]);
            double r1 = Torus.Nearest(x1 - y1[j]);
            row[j] = r0 * r0 + r1 * r1;
        }
    }
}
