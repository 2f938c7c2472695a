using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// Under regularisation <c>none</c> two opposite particles that meet make the explicit steps shrink without end, and
/// the integrator stops for lack of progress before the evaluator ever sees them within
/// <see cref="CollisionException.Distance"/>. That is a collision, and the error should say so and name both
/// particles: this turns such a stall into the collision of the closest opposite-sign pair at that moment.
/// </summary>
public static class CollisionDiagnosis
{
    /// <summary>The collision behind <paramref name="failure"/> when the model is unregularised and the failure was
    /// a stall (a step too small), with the pair found in <paramref name="state"/>; otherwise <paramref name="failure"/>.</summary>
    public static SimulationException Explain(SimulationException failure, SystemModel model, ParticleState state)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (model.Regularization.Type != RegularizationType.None || failure.InnerException is CollisionException
            || ClosestOppositePair(state) is not var (first, second, distance))
        {
            return failure;
        }
        return new SimulationException(
            $"particles {first} and {second} collided at t ≈ {failure.Time:R} (distance {distance:R}, the closest opposite-sign pair) "
            + $"with regularization 'none': the steps shrank without end as they met ({failure.Message})",
            failure.Time,
            failure);
    }

    /// <summary>The opposite-sign pair at the smallest periodic distance, searched within a few typical spacings
    /// (O(n) cells); null when there is none that close.</summary>
    private static (int First, int Second, double Distance)? ClosestOppositePair(ParticleState state)
    {
        int n = state.Count;
        if (n < 2)
        {
            return null;
        }
        double radius = Math.Min(0.25, 4 * Math.Pow(n, -1.0 / state.Dimension));
        var wrapped = TorusCellIndex.Wrap(state.Positions);
        var negatives = Enumerable.Range(0, n).Where(i => state.Signs[i] < 0).ToArray();
        var index = new TorusCellIndex(wrapped, negatives, radius);
        Span<(int Start, int End)> ranges = stackalloc (int, int)[9];
        (int, int, double)? best = null;
        double best2 = radius * radius;
        for (int i = 0; i < n; i++)
        {
            if (state.Signs[i] < 0)
            {
                continue;
            }
            int count = index.Neighbourhood(i, ranges);
            for (int r = 0; r < count; r++)
            {
                for (int k = ranges[r].Start; k < ranges[r].End; k++)
                {
                    int j = index.Members[k];
                    double d2 = index.Distance2(i, j);
                    if (d2 < best2)
                    {
                        best2 = d2;
                        best = (Math.Min(i, j), Math.Max(i, j), Math.Sqrt(d2));
                    }
                }
            }
        }
        return best;
    }
}
