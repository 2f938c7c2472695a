namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// The parameters of one fast evaluation: split width σ (0 for mesh-only), real-space cut-off r_c,
/// mesh size M per axis, B-spline order p, and the tolerance they were chosen for; in 2D the columns C of the half
/// spectrum the CPU mesh keeps (<see cref="EwaldParameterChooser.BandColumns"/>; null: all).
/// </summary>
public sealed record EwaldParameters(double Sigma, double Cutoff, int Mesh, int Order, double Tolerance, bool MeshOnly,
    int? BandColumns = null)
{
    /// <summary>
    /// L̂ with the modes beyond the band zeroed (|k2| ≥ <see cref="BandColumns"/>): the meshes that transform the whole
    /// spectrum (distributed, OpenCL) keep the same modes as the CPU's band-limited one, so their results agree to rounding.
    /// </summary>
    public Func<int, int, double> WithinBand(Func<int, int, double> multiplier) =>
        BandColumns is { } columns ? (f1, f2) => Math.Abs(f2) >= columns ? 0.0 : multiplier(f1, f2) : multiplier;

    /// <summary>Largest mesh (points per evaluation) the fast path accepts: 2^25 doubles = 256 MiB.</summary>
    public const long MaxMeshPoints = 1L << 25;

    /// <summary>
    /// The parameters an Ewald evaluator reports (`forces --json`, summary.json): these, in this order, then what says
    /// where it runs (<paramref name="where"/>: device, SIMD path, threads, ranks …).
    /// </summary>
    public IReadOnlyDictionary<string, object> Describe(string method, params (string Key, object Value)[] where)
    {
        var parameters = new Dictionary<string, object>
        {
            ["method"] = method,
            ["tolerance"] = Tolerance,
            ["sigma"] = Sigma,
            ["cutoff"] = Cutoff,
            ["mesh"] = Mesh,
            ["order"] = Order,
            ["mesh_only"] = MeshOnly,
            // The half spectrum's columns the mesh keeps (all M/2 + 1 where no band is cut).
            ["band_columns"] = BandColumns ?? Mesh / 2 + 1,
        };
        foreach (var (key, value) in where)
        {
            parameters.Add(key, value);
        }
        return parameters;
    }
}
