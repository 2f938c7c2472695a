using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>
/// <c>init: dipoles</c>, the short-dipole data of the paper's Section 4: dipole k has centre z_k
/// (<see cref="DipoleCentres"/>) and members x_{2k} = z_k + h_k (sign +) and x_{2k+1} = z_k − h_k (sign −).
/// h_k = h, or with random orientation: 1D ±h; 2D isotropic h rotated by a seeded uniform angle; 2D glide
/// (±h1, ±h2) with seeded independent signs — a rotation could bring h2 arbitrarily close to 0, and
/// Theorem 4.6 needs the two members on slip planes a fixed |h2| &gt; 0 apart.
/// </summary>
internal static class DipoleInit
{
    private const string HalfWidthPath = "$.particles.half_width";

    /// <summary>|h| may be at most this fraction of the guaranteed minimum centre spacing, so that every
    /// member is much closer to its partner than to any other dipole.</summary>
    public const double MaxHalfWidthFraction = 0.25;

    public static ParticleState Create(SystemModel system, DipoleParticles source, SeededRandom random)
    {
        int d = system.Dimension;
        int count = source.Count;
        if (count < 1)
        {
            throw new SpecException("$.particles.count", $"must be at least 1, got {count}");
        }
        double[] h = source.HalfWidth;
        ValidateHalfWidth(system, h);

        var (centres, spacing) = DipoleCentres.Create(d, count, source.CentreDensity, random);
        double length = Norm(h);
        if (length > MaxHalfWidthFraction * spacing)
        {
            throw new SpecException(
                HalfWidthPath,
                $"|h| = {length:G6} is not small compared with the dipole-centre spacing {spacing:G6} "
                + $"(count = {count}); it must be at most {MaxHalfWidthFraction} of it, i.e. ≤ {MaxHalfWidthFraction * spacing:G6}");
        }

        var signs = new sbyte[2 * count];
        for (int k = 0; k < count; k++)
        {
            signs[2 * k] = 1;
            signs[2 * k + 1] = -1;
        }
        var state = ParticleState.Zeros(d, signs);
        Span<double> offset = stackalloc double[d];
        for (int k = 0; k < count; k++)
        {
            Orient(h, source.RandomOrientation, system.Mobility, random, offset);
            for (int a = 0; a < d; a++)
            {
                state.Positions[a][2 * k] = Torus.Wrap(centres[a][k] + offset[a]);
                state.Positions[a][2 * k + 1] = Torus.Wrap(centres[a][k] - offset[a]);
            }
        }
        return state;
    }

    private static void ValidateHalfWidth(SystemModel system, double[] h)
    {
        int d = system.Dimension;
        if (h.Length != d)
        {
            throw new SpecException(HalfWidthPath, $"needs {d} components, got {h.Length}");
        }
        if (h.Any(c => !double.IsFinite(c)))
        {
            throw new SpecException(HalfWidthPath, "components must be finite");
        }
        if (h.All(c => c == 0))
        {
            throw new SpecException(HalfWidthPath, "must not be all zero (the two members of a dipole would coincide)");
        }
        if (system.Mobility == MobilityType.Glide && d == 2 && h[1] == 0)
        {
            throw new SpecException(
                HalfWidthPath,
                "glide needs a non-zero x2 component so that the two members of a dipole are on different slip "
                + "planes (paper Theorem 4.6); with h2 = 0 they would move on one line and could collide");
        }
    }

    private static void Orient(double[] h, bool random, MobilityType mobility, SeededRandom rng, Span<double> offset)
    {
        if (!random)
        {
            h.CopyTo(offset);
            return;
        }
        if (h.Length == 1)
        {
            offset[0] = rng.NextInt(2) == 0 ? h[0] : -h[0];
            return;
        }
        if (mobility == MobilityType.Glide)
        {
            offset[0] = rng.NextInt(2) == 0 ? h[0] : -h[0];
            offset[1] = rng.NextInt(2) == 0 ? h[1] : -h[1];
            return;
        }
        double angle = 2 * Math.PI * rng.NextDouble();
        double c = Math.Cos(angle), s = Math.Sin(angle);
        offset[0] = c * h[0] - s * h[1];
        offset[1] = s * h[0] + c * h[1];
    }

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double c in v)
        {
            sum += c * c;
        }
        return Math.Sqrt(sum);
    }
}
