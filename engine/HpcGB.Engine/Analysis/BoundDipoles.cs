using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// The one definition of a bound dipole, used by every frame's observables (summary.json, trajectory.h5, the
/// service's frames) and by <c>hpcgb distance</c> (docs/spec.md, "Bound dipoles"): a + particle and a − particle
/// that are each other's nearest particle of the opposite sign and closer than the bound distance r_b
/// (<see cref="DipolePairer"/>; each particle is in at most one dipole, so the count is at most min(n₊, n₋)).
/// r_b = 3δ for a regularised kernel, where the pair attraction saturates; the unregularised kernel has no core
/// length, so under <c>none</c> r_b is a tenth of the mean spacing n^(−1/d) and δ plays no part.
/// </summary>
public static class BoundDipoles
{
    /// <summary>r_b in units of δ for the regularised kernels.</summary>
    public const double DistanceInDeltas = 3.0;

    /// <summary>r_b in units of the mean spacing n^(−1/d) under regularisation <c>none</c>.</summary>
    public const double SpacingFraction = 0.1;

    /// <summary>The bound distance r_b of a system of <paramref name="count"/> particles.</summary>
    public static double Distance(SystemModel system, int count)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return system.Regularization.Type == RegularizationType.None
            ? SpacingFraction * Math.Pow(count, -1.0 / system.Dimension)
            : DistanceInDeltas * system.Delta;
    }

    /// <summary>The number of bound dipoles of <paramref name="state"/> at bound distance <paramref name="distance"/>.</summary>
    public static long Count(ParticleState state, double distance) => DipolePairer.Pair(state, distance).Length;
}
