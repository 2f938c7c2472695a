using HpcGB.Interop.Fftw;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>One plan per (shape, direction, flags, threads), shared by every caller.</summary>
public sealed class FftwPlanCacheTests
{
    [Fact]
    public void TheSameKindOfTransformGetsTheSamePlan()
    {
        var plan = FftwPlanCache.GetOrCreate([12, 18], FftwDirection.RealToComplex);
        Assert.Same(plan, FftwPlanCache.GetOrCreate(new[] { 12, 18 }, FftwDirection.RealToComplex));

        using var first = new RealFft([12, 18]);
        using var second = new RealFft([12, 18]);
        Assert.Same(plan, first.ForwardPlan);
        Assert.Same(first.ForwardPlan, second.ForwardPlan);
        Assert.Same(first.InversePlan, second.InversePlan);
        Assert.Equal([12, 18], plan.Shape);
        Assert.Equal(12 * 10, plan.SpectrumLength);
    }

    [Fact]
    public void ADifferentShapeDirectionOrRigorGetsADifferentPlan()
    {
        var plan = FftwPlanCache.GetOrCreate([12, 18], FftwDirection.RealToComplex);
        Assert.NotSame(plan, FftwPlanCache.GetOrCreate([18, 12], FftwDirection.RealToComplex));
        Assert.NotSame(plan, FftwPlanCache.GetOrCreate([216], FftwDirection.RealToComplex));
        Assert.NotSame(plan, FftwPlanCache.GetOrCreate([12, 18], FftwDirection.ComplexToReal));
        Assert.NotSame(plan, FftwPlanCache.GetOrCreate([12, 18], FftwDirection.RealToComplex, FftwPlannerFlags.Measure));
    }

    [Fact]
    public void ThreadsRacingForANewShapeGetOnePlan()
    {
        var plans = new FftwPlan[8];
        Parallel.For(0, plans.Length, new ParallelOptions { MaxDegreeOfParallelism = plans.Length },
            i => plans[i] = FftwPlanCache.GetOrCreate([37, 41], FftwDirection.ComplexToReal));
        Assert.All(plans, p => Assert.Same(plans[0], p));
    }
}
