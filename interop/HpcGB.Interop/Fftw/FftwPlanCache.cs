using System.Collections.Concurrent;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// The process-wide set of FFTW plans: one per (shape, direction, planner flags, thread count), made on first use
/// and kept for the life of the process. Thread-safe; planning itself is serialised by the planner lock.
/// </summary>
public static class FftwPlanCache
{
    private static readonly ConcurrentDictionary<Key, FftwPlan> s_plans = new();

    /// <summary>The number of plans made so far.</summary>
    public static int Count => s_plans.Count;

    /// <summary>Returns the plan for this kind of transform, making it the first time.</summary>
    /// <param name="shape">[M] or [M1, M2], each at least 1.</param>
    /// <param name="direction">Forward (r2c) or inverse (c2r).</param>
    /// <param name="flags">Planner rigor.</param>
    /// <param name="threads">Requested threads; 1 when the OpenMP library is missing (see <see cref="FftwPlan.Threads"/>).</param>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    /// <exception cref="FftwException">FFTW could not plan the transform.</exception>
    public static FftwPlan GetOrCreate(
        ReadOnlySpan<int> shape,
        FftwDirection direction,
        FftwPlannerFlags flags = FftwPlannerFlags.Estimate,
        int threads = 1)
    {
        var fftShape = FftwShape.From(shape);
        FftwLibrary.EnsureAvailable();
        var key = new Key(fftShape, direction, flags, FftwLibrary.EffectiveThreads(threads));
        if (s_plans.TryGetValue(key, out var plan))
        {
            return plan;
        }

        // Plan once per key: a second caller waiting here finds the first caller's plan.
        lock (FftwLibrary.PlannerLock)
        {
            if (!s_plans.TryGetValue(key, out plan))
            {
                plan = FftwPlan.Create(key.Shape, key.Direction, key.Flags, key.Threads);
                s_plans[key] = plan;
            }
            return plan;
        }
    }

    private readonly record struct Key(FftwShape Shape, FftwDirection Direction, FftwPlannerFlags Flags, int Threads);
}
