using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Continuum;

/// <summary>The solver's invariants: mass of each sign to round-off, positivity, and a non-increasing energy.</summary>
public sealed class GromaBaloghSolverTests
{
    public static TheoryData<int, KernelType, MobilityType> Systems() => new()
    {
        { 1, KernelType.Log, MobilityType.Isotropic },
        { 2, KernelType.Log, MobilityType.Isotropic },
        { 2, KernelType.Edge, MobilityType.Glide },
    };

    [Theory]
    [MemberData(nameof(Systems))]
    public void MassIsConservedAndDensitiesStayNonNegative(int dimension, KernelType kernel, MobilityType mobility)
    {
        // Densities with empty regions (ρ = max(0, ·)) and a strong field: the limiter must keep every cell ≥ 0.
        var grid = dimension == 1 ? new ContinuumGrid(128) : new ContinuumGrid(32, 32);
        var model = ContinuumProblems.Model(dimension, kernel, mobility, delta: 0.03, force: 0.2);
        double[] positive = Bump(grid, 0.3);
        double[] negative = Bump(grid, 0.7);
        using var solver = new GromaBaloghSolver(grid, model, positive, negative);
        var start = solver.Observe();
        double minimum = double.PositiveInfinity;
        solver.Run([0.05, 0.1, 0.2, 0.3], frame =>
        {
            var o = frame.Observables;
            Assert.True(Math.Abs(o.PositiveMass - start.PositiveMass) <= 1e-14, $"ρ⁺ mass drift {o.PositiveMass - start.PositiveMass:E2}");
            Assert.True(Math.Abs(o.NegativeMass - start.NegativeMass) <= 1e-14, $"ρ⁻ mass drift {o.NegativeMass - start.NegativeMass:E2}");
            minimum = Math.Min(minimum, o.MinDensity);
        });
        Assert.True(solver.Steps > 20, $"only {solver.Steps} steps");
        Assert.True(minimum >= 0, $"negative density {minimum:E3}");
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void EnergyIsNonIncreasing(int dimension, KernelType kernel, MobilityType mobility)
    {
        var grid = dimension == 1 ? new ContinuumGrid(128) : new ContinuumGrid(32, 32);
        using var solver = ContinuumProblems.Solver(grid, ContinuumProblems.Model(dimension, kernel, mobility));
        var energies = new List<double>();
        solver.Run(Enumerable.Range(0, 11).Select(i => 0.05 * i).ToArray(), frame => energies.Add(frame.Observables.Energy));
        for (int i = 1; i < energies.Count; i++)
        {
            Assert.True(energies[i] <= energies[i - 1] + 1e-13, $"energy rose at output {i}: {energies[i - 1]:R} → {energies[i]:R}");
        }
        Assert.True(energies[^1] < energies[0] - 1e-4, "the test problem should dissipate energy");
    }

    [Fact]
    public void LandsOnTheOutputTimesExactly()
    {
        using var solver = ContinuumProblems.Solver(new ContinuumGrid(32), ContinuumProblems.Model(1));
        var times = new List<double>();
        solver.Run([0.0, 0.1, 0.3], frame => times.Add(frame.Observables.Time));
        Assert.Equal([0.0, 0.1, 0.3], times);
    }

    /// <summary>max(0, 0.5 cos 2π(x1 − centre) + 0.2 cos 2π(x1 + x2) − 0.1) at the cell centres: empty on part of the torus.</summary>
    private static double[] Bump(ContinuumGrid grid, double centre)
    {
        var values = new double[grid.CellCount];
        Span<double> x = stackalloc double[2];
        for (int c = 0; c < values.Length; c++)
        {
            ContinuumField.CentrePoint(grid, c, x);
            double value = 0.5 * Math.Cos(2 * Math.PI * (x[0] - centre)) + 0.2 * Math.Cos(2 * Math.PI * (x[0] + x[1])) - 0.1;
            values[c] = Math.Max(0.0, value);
        }
        return values;
    }
}
