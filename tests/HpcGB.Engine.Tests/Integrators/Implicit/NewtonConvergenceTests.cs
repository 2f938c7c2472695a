using HpcGB.Engine.Integrators.Implicit;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>Newton's convergence test: the rate estimate only between full steps.</summary>
public sealed class NewtonConvergenceTests
{
    private const double Tolerance = 0.05;

    /// <summary>
    /// A damped step of 100 followed by a full one of 0.5 (ten times the tolerance) looks like the rate 0.005,
    /// whose remaining-error estimate 0.0025 passes; but the damped step never moved the iterate by 100, so the
    /// ratio is no contraction rate and the solve is not converged.
    /// </summary>
    [Fact]
    public void ARateAfterADampedStepDoesNotConverge()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Continue, test.Next(100, full: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(0.5, full: true));
        Assert.True(double.IsNaN(test.Rate));
    }

    [Fact]
    public void AContractionBetweenFullStepsConverges()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Continue, test.Next(1.0, full: true));
        Assert.Equal(NewtonVerdict.Converged, test.Next(0.1, full: true)); // 0.1·0.1/0.9 = 0.011
        Assert.Equal(0.1, test.Rate, 12);
    }

    [Fact]
    public void ADampedStepThatShrinksNeverConvergesOnTheRate()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Continue, test.Next(1.0, full: true));
        Assert.Equal(NewtonVerdict.Continue, test.Next(0.1, full: false));
    }

    [Fact]
    public void ACorrectionBelowTheToleranceConvergesAtOnce()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Converged, test.Next(0.04, full: false));
    }

    [Fact]
    public void ThreeFullExactStepsThatDoNotShrinkStall()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Continue, test.Next(3.0, full: true));
        Assert.Equal(NewtonVerdict.Continue, test.Next(3.0, full: true));
        Assert.Equal(NewtonVerdict.Stalled, test.Next(2.9, full: true));
    }

    /// <summary>Damped steps and steps with flipped curvature are the global phase: corrections may grow there.</summary>
    [Fact]
    public void GrowingStepsOfTheGlobalPhaseDoNotStall()
    {
        var test = new NewtonConvergence(Tolerance);
        Assert.Equal(NewtonVerdict.Continue, test.Next(1.0, full: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(2.0, full: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(3.0, full: true, exact: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(5.0, full: true, exact: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(9.0, full: true, exact: false));
        Assert.Equal(NewtonVerdict.Continue, test.Next(8.9, full: true));
        Assert.Equal(NewtonVerdict.Continue, test.Next(8.8, full: true));
        Assert.Equal(NewtonVerdict.Converged, test.Next(0.1, full: true));
    }
}
