namespace HpcGB.Engine.Forces.NearField;

/// <summary>Which short-range function of the Ewald split (docs/numerics.md §4) a near-field evaluator sums.</summary>
public enum ShortRangeKind
{
    /// <summary><see cref="LogShort"/>: log kernel, regularisation none, d = 1 or 2.</summary>
    Log,

    /// <summary><see cref="GaussianLogShort"/>: log kernel, Gaussian regularisation, d = 2.</summary>
    GaussianLog,

    /// <summary><see cref="EdgeShort"/>: edge kernel, regularisation none, d = 2.</summary>
    Edge,

    /// <summary><see cref="GaussianEdgeShort"/>: edge kernel, modified Gaussian regularisation (σ &gt; δ), d = 2.</summary>
    GaussianEdge,

    /// <summary><see cref="GaussianLogShort1D"/>: log kernel, Gaussian regularisation, d = 1.</summary>
    GaussianLog1D,

    /// <summary><see cref="PoissonLogShort1D"/>: log kernel, poisson regularisation, d = 1.</summary>
    PoissonLog1D,
}
