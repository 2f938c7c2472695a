using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// <see cref="BoundDipoles.Count"/> over a system spread over slabs, with the one definition
/// (<see cref="DipolePairer"/>): each rank pairs its own particles together with every other rank's particles within
/// 2 r_b of its slab (a dipole's partner lies within r_b, and the partner's nearest opposite sign within r_b of it),
/// in the serial order (ties go to the lower index, as in a serial count), and counts the dipoles whose + particle
/// it holds: each dipole once. The held particles must lie in their slabs (true at output times, after re-homing).
/// </summary>
public static class DistributedDipoles
{
    public static long Count(DistributedSystem system, double distance)
    {
        var communicator = system.Communicator;
        var layout = system.Evaluator.Layout;
        var held = system.Held;
        int ranks = communicator.Size, me = communicator.Rank, d = held.Dimension;
        int stride = 2 + d;
        double reach = 2 * distance;
        var outgoing = new List<double>[ranks];
        if (ranks > 1 && distance > 0)
        {
            for (int i = 0; i < held.Count; i++)
            {
                double x1 = Torus.Wrap(held.Positions[0][i]);
                for (int q = 0; q < ranks; q++)
                {
                    if (q != me && Distance(x1, layout.Origin(q), layout.Width(q)) < reach)
                    {
                        var message = outgoing[q] ??= [];
                        message.Add(system.Ids[i]);
                        message.Add(held.Signs[i]);
                        for (int a = 0; a < d; a++)
                        {
                            message.Add(held.Positions[a][i]);
                        }
                    }
                }
            }
        }
        var arrived = ranks > 1
            ? communicator.AllToAll(CommunicationPhase.Output, outgoing.Select(m => m?.ToArray() ?? []).ToArray())
            : [];

        // This rank's particles and its neighbours', in ascending serial index.
        var records = new List<(int Id, sbyte Sign, double X1, double X2, bool Mine)>(held.Count);
        for (int i = 0; i < held.Count; i++)
        {
            records.Add((system.Ids[i], held.Signs[i], held.Positions[0][i], d == 2 ? held.Positions[1][i] : 0, true));
        }
        foreach (var message in arrived)
        {
            for (int j = 0; j < message.Length; j += stride)
            {
                records.Add(((int)message[j], (sbyte)message[j + 1], message[j + 2], d == 2 ? message[j + 3] : 0, false));
            }
        }
        records.Sort((a, b) => a.Id.CompareTo(b.Id));
        var local = new ParticleState(
            d == 2 ? [records.Select(r => r.X1).ToArray(), records.Select(r => r.X2).ToArray()] : [records.Select(r => r.X1).ToArray()],
            records.Select(r => r.Sign).ToArray());
        long mine = DipolePairer.Pair(local, distance).LongCount(pair => records[pair.Positive].Mine);
        return (long)communicator.Sum(mine);
    }

    /// <summary>The distance along x1 (periodically) from wrapped x1 to the slab [origin, origin + width).</summary>
    private static double Distance(double x1, double origin, double width)
    {
        double u = x1 - origin;
        u -= Math.Floor(u);
        return u < width ? 0 : Math.Min(u - width, 1 - u);
    }
}
