using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Under glide, an opposite-sign pair on slip planes h apart attracts towards |w| = |h| (the edge kernel's 45°
/// equilibrium) on the side it comes from, w its separation along the glide axis; between the two equilibria
/// (|w| &lt; |h|) it repels from w = 0. The flow therefore crosses w = 0 only slowly (pushed through by the others'
/// stress, over a distance of order h). A step whose solution has the pair on the other side, having moved w by
/// more than |h|, jumped over the barrier: the predictor of a fast capture overshoots past w = 0 and Newton finds
/// the mirror minimiser of Φ there, which the error estimate (solution minus predictor, both on the far side)
/// does not see (measured on the peer workload: a dipole captured at w = +h instead of −h, 1.1e-5 off at the end).
/// The integrator mirrors such pairs back to their own side (<see cref="MirrorBack"/>) and solves again from there;
/// a step still jumping is rejected.
/// </summary>
internal static class SlipPlaneCrossing
{
    /// <summary>
    /// Swaps the glide coordinates of every pair <see cref="Find"/> would report (w → −w, the centre kept), each
    /// particle at most once; returns how many pairs it mirrored. <paramref name="from"/>: the first pair that jumped
    /// (<see cref="FirstJump"/>; the pairs before it are not looked at).
    /// </summary>
    public static int MirrorBack(NeighbourPairs pairs, ParticleState end, double[][] start, int moving, int from = 0)
    {
        var x = end.Positions;
        if (moving != 1 || x.Length != 2)
        {
            return 0;
        }
        var moved = new HashSet<int>();
        for (int p = from; p < pairs.Count; p++)
        {
            int i = pairs.First(p), j = pairs.Second(p);
            if (Jumped(x, end.Signs, start, i, j) && !moved.Contains(i) && !moved.Contains(j))
            {
                double w = Torus.Nearest(x[0][i] - x[0][j]);
                x[0][i] -= w;
                x[0][j] += w;
                moved.Add(i);
                moved.Add(j);
            }
        }
        return moved.Count / 2;
    }

    /// <summary>The first pair of <paramref name="pairs"/> (those of the matrix at the solution <paramref name="end"/>)
    /// that jumped across from <paramref name="start"/>, or (−1, −1); only under glide (one moving axis of two).</summary>
    public static (int First, int Second) Find(NeighbourPairs pairs, ParticleState end, double[][] start, int moving)
    {
        int p = moving == 1 && end.Dimension == 2 ? FirstJump(pairs, end, start, 0, pairs.Count) : -1;
        return p < 0 ? (-1, -1) : (pairs.First(p), pairs.Second(p));
    }

    /// <summary>The first of pairs [<paramref name="from"/>, <paramref name="to"/>) that jumped (−1: none), under glide.</summary>
    public static int FirstJump(NeighbourPairs pairs, ParticleState end, double[][] start, int from, int to)
    {
        for (int p = from; p < to; p++)
        {
            if (Jumped(end.Positions, end.Signs, start, pairs.First(p), pairs.Second(p)))
            {
                return p;
            }
        }
        return -1;
    }

    private static bool Jumped(double[][] x, sbyte[] signs, double[][] start, int i, int j)
    {
        if (signs[i] == signs[j])
        {
            return false;
        }
        double before = Torus.Nearest(start[0][i] - start[0][j]);
        double after = Torus.Nearest(x[0][i] - x[0][j]);
        double h = Math.Abs(Torus.Nearest(x[1][i] - x[1][j]));
        return before * after < 0 && Math.Abs(after - before) > h;
    }
}
