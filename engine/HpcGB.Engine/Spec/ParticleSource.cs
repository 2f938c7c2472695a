namespace HpcGB.Engine.Spec;

/// <summary>Where the initial particles come from (the spec's <c>particles</c> block).</summary>
public abstract record ParticleSource;

/// <summary>Explicit positions (wrapped into [0,1)^d) and signs: <c>Positions[i][axis]</c>.</summary>
public sealed record ExplicitParticles(double[][] Positions, sbyte[] Signs) : ParticleSource;

/// <summary><c>init: uniform</c>: n independent uniform points; each is + with probability
/// <see cref="PositiveFraction"/> rounded to an exact count round(n·fraction), signs shuffled.</summary>
public sealed record UniformParticles(int Count, double PositiveFraction) : ParticleSource;

/// <summary>
/// <c>init: density</c>: ρ⁺ and ρ⁻ as non-negative values on a regular grid (1D: M values; 2D: M1 rows of
/// M2 values, row index along x1), quantised into <see cref="Count"/> particles in total as in the paper's
/// Lemma 2.4. The grids need not be normalised: the total mass ratio fixes how many particles get each sign.
/// </summary>
public sealed record DensityParticles(int Count, DensityGrid Positive, DensityGrid Negative) : ParticleSource;

/// <summary>
/// <c>init: dipoles</c>: the Section 4 construction. <see cref="Count"/> dipoles (2·Count particles), centres
/// well separated following <see cref="CentreDensity"/> (uniform when null), the + member at centre + h and the
/// − member at centre − h with h = <see cref="HalfWidth"/> (length d), or h rotated by a uniform random angle
/// (1D: a random sign) when <see cref="RandomOrientation"/>.
/// </summary>
public sealed record DipoleParticles(int Count, double[] HalfWidth, bool RandomOrientation, DensityGrid? CentreDensity)
    : ParticleSource;

/// <summary>Cell values of a density on the regular grid of T^d; <c>Values</c> is row-major with x1 slowest.</summary>
public sealed record DensityGrid(int[] Shape, double[] Values)
{
    public int Dimension => Shape.Length;
}
