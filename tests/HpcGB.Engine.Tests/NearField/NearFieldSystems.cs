using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>A particle configuration for the near-field tests (positions wrapped into [0, 1)).</summary>
internal sealed record Configuration(string Name, int Dimension, double[] X1, double[] X2, sbyte[] Signs)
{
    public int Count => X1.Length;

    public override string ToString() => Name;
}

/// <summary>Configurations, evaluator construction on every path, and the O(n²) brute-force reference.</summary>
internal static class NearFieldSystems
{
    public static readonly SimdPath[] ForcedPaths = [SimdPath.Avx512, SimdPath.Avx2, SimdPath.Scalar];

    /// <summary>
    /// An evaluator on <paramref name="path"/>: the public constructor where the machine supports the path,
    /// otherwise the software fallback of the vector types, so that every path's code runs here.
    /// </summary>
    public static NearFieldEvaluator Create(int dimension, ShortRangeKind kind, double sigma, double delta, double cutoff,
        SimdPath path, int threads = 2, int cellsPerAxis = 0) =>
        SimdPaths.IsSupported(path)
            ? new NearFieldEvaluator(dimension, kind, sigma, delta, cutoff, path, threads, cellsPerAxis)
            : NearFieldEvaluator.CreateUnchecked(dimension, kind, sigma, delta, cutoff, path, threads, cellsPerAxis);

    /// <summary>The operator of <paramref name="kind"/>, built as the case table builds it.</summary>
    public static IShortRangeOperator Operator(ShortRangeKind kind, double sigma, double delta, double cutoff) =>
        KernelCases.WithShortRange(kind).First().Split!.ShortRange.Create(sigma, delta, cutoff);

    /// <summary>The kinds that exist in <paramref name="dimension"/> (log in both), from the case table.</summary>
    /// <summary>Every kind of <paramref name="dimension"/> on every forced SIMD path: the rows of a test body.</summary>
    public static TheoryData<ShortRangeKind, SimdPath> KindsAndPaths(int dimension)
    {
        var data = new TheoryData<ShortRangeKind, SimdPath>();
        foreach (var kind in Kinds(dimension))
        {
            foreach (var path in ForcedPaths)
            {
                data.Add(kind, path);
            }
        }
        return data;
    }

    public static ShortRangeKind[] Kinds(int dimension) =>
        [.. KernelCases.All.Where(c => c.Dimension == dimension && c.Split is not null).Select(c => c.Split!.ShortRange.Kind).Distinct()];

    /// <summary>The dimension of a kind's own tests (log: 2; its 1D form has tests of its own).</summary>
    public static int DimensionOf(ShortRangeKind kind) => KernelCases.WithShortRange(kind).Max(c => c.Dimension);

    public static Configuration Uniform(int dimension, int n, int seed)
    {
        var random = new Random(seed);
        var c = Empty("uniform", dimension, n);
        for (int i = 0; i < n; i++)
        {
            c.X1[i] = random.NextDouble();
            if (dimension == 2)
            {
                c.X2[i] = random.NextDouble();
            }
        }
        return c;
    }

    /// <summary>All particles in a box of side <paramref name="side"/> straddling the periodic corner.</summary>
    public static Configuration Clustered(int dimension, int n, int seed, double side = 0.02)
    {
        var random = new Random(seed);
        var c = Empty("clustered", dimension, n);
        for (int i = 0; i < n; i++)
        {
            c.X1[i] = Wrap(1 - side / 3 + side * random.NextDouble());
            if (dimension == 2)
            {
                c.X2[i] = Wrap(1 - side / 2 + side * random.NextDouble());
            }
        }
        return c;
    }

    /// <summary>Uniform dipole centres, each a (+, −) pair at distance <paramref name="separation"/>, random orientation.</summary>
    public static Configuration Dipoles(int dimension, int pairs, double separation, int seed)
    {
        var random = new Random(seed);
        var c = Empty($"dipoles {separation:G2}", dimension, 2 * pairs);
        for (int p = 0; p < pairs; p++)
        {
            double theta = dimension == 2 ? 2 * Math.PI * random.NextDouble() : 0.0;
            double c1 = random.NextDouble(), c2 = random.NextDouble();
            double h1 = 0.5 * separation * Math.Cos(theta), h2 = 0.5 * separation * Math.Sin(theta);
            c.X1[2 * p] = Wrap(c1 + h1);
            c.X1[2 * p + 1] = Wrap(c1 - h1);
            if (dimension == 2)
            {
                c.X2[2 * p] = Wrap(c2 + h2);
                c.X2[2 * p + 1] = Wrap(c2 - h2);
            }
            c.Signs[2 * p] = 1;
            c.Signs[2 * p + 1] = -1;
        }
        return c;
    }

    /// <summary>Every particle on the slip plane x2 = 0.3.</summary>
    public static Configuration SlipPlane(int n, int seed)
    {
        var random = new Random(seed);
        var c = Empty("slip plane", 2, n);
        for (int i = 0; i < n; i++)
        {
            c.X1[i] = random.NextDouble();
            c.X2[i] = 0.3;
        }
        return c;
    }

    private static Configuration Empty(string name, int dimension, int n)
    {
        var signs = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            signs[i] = (sbyte)(i % 3 == 1 ? -1 : 1);
        }
        return new Configuration(name, dimension, new double[n], dimension == 2 ? new double[n] : [], signs);
    }

    private static double Wrap(double x) => x - Math.Floor(x) is var w && w < 1 ? w : 0.0;

    /// <summary>Brute force over all pairs (minimum image, scalar operator) with the magnitude sums used as error scales.</summary>
    public static Reference BruteForce(IShortRangeOperator op, Configuration c)
    {
        int n = c.Count;
        var r = new Reference(new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double d1 = c.X1[i] - c.X1[j];
                d1 -= Math.Round(d1);
                double d2 = 0;
                if (c.Dimension == 2)
                {
                    d2 = c.X2[i] - c.X2[j];
                    d2 -= Math.Round(d2);
                }
                double r2 = d1 * d1 + d2 * d2;
                double bb = c.Signs[i] * c.Signs[j];
                op.Invoke(d1, d2, r2, out double g1, out double g2);
                r.G1[i] += bb * g1;
                r.G2[i] += bb * g2;
                r.G1[j] -= bb * g1;
                r.G2[j] -= bb * g2;
                double scale = Math.Abs(g1) + Math.Abs(g2);
                r.Scale[i] += scale;
                r.Scale[j] += scale;
                double s = bb * op.Potential(d1, d2, r2);
                r.Energy += s;
                r.EnergyScale += Math.Abs(s);
            }
        }
        return r;
    }

    /// <summary>Runs the evaluator with energy; returns (g1, g2, energy).</summary>
    public static (double[] G1, double[] G2, double Energy) Evaluate(NearFieldEvaluator evaluator, Configuration c, bool withEnergy = true)
    {
        var g1 = new double[c.Count];
        var g2 = new double[c.Dimension == 2 ? c.Count : 0];
        double e = evaluator.Compute(c.X1, c.X2, c.Signs, g1, g2, withEnergy);
        return (g1, g2, e);
    }

    /// <summary>
    /// Max over particles of |g − g_ref| / Σ_j |∇s_ij| (the rounding scale of the sum), and the energy error relative
    /// to Σ |b_i b_j s_ij|.
    /// </summary>
    public static (double Force, double Energy) Errors(Reference reference, double[] g1, double[] g2, double energy)
    {
        double worst = 0;
        for (int i = 0; i < g1.Length; i++)
        {
            double scale = reference.Scale[i] > 0 ? reference.Scale[i] : 1e-300;
            double e = Math.Abs(g1[i] - reference.G1[i]);
            if (g2.Length > 0)
            {
                e = Math.Max(e, Math.Abs(g2[i] - reference.G2[i]));
            }
            worst = Math.Max(worst, reference.Scale[i] > 0 ? e / scale : e == 0 ? 0 : double.PositiveInfinity);
        }
        double energyError = reference.EnergyScale > 0
            ? Math.Abs(energy - reference.Energy) / reference.EnergyScale
            : Math.Abs(energy);
        return (worst, energyError);
    }
}

/// <summary>Brute-force sums: forces, Σ_j |∇s_ij| per particle, energy and Σ |s_ij|.</summary>
internal sealed class Reference(double[] g1, double[] g2, double[] scale)
{
    public double[] G1 { get; } = g1;

    public double[] G2 { get; } = g2;

    public double[] Scale { get; } = scale;

    public double Energy { get; set; }

    public double EnergyScale { get; set; }
}
