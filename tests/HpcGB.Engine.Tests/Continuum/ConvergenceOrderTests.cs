using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Continuum;

/// <summary>
/// Second order under grid refinement on a smooth problem: with cell averages on grids M, 2M, 4M, the L¹
/// differences e_M = ‖ρ_M − R ρ_{2M}‖₁ (R averages pairs of fine cells, exact for cell averages) shrink like M^{−p};
/// the observed order p = log₂(e_M / e_{2M}) must be at least 1.8.
/// </summary>
public sealed class ConvergenceOrderTests
{
    public static TheoryData<int, KernelType, MobilityType, int> Systems() => new()
    {
        { 1, KernelType.Log, MobilityType.Isotropic, 128 },
        { 2, KernelType.Log, MobilityType.Isotropic, 32 },
        { 2, KernelType.Edge, MobilityType.Glide, 32 },
    };

    [Theory]
    [MemberData(nameof(Systems))]
    public void ObservedOrderIsAtLeastSecond(int dimension, KernelType kernel, MobilityType mobility, int coarsest)
    {
        var model = ContinuumProblems.Model(dimension, kernel, mobility, delta: 0.05);
        const double end = 0.1;
        var solutions = new List<(ContinuumGrid Grid, double[] Positive, double[] Negative)>();
        for (int level = 0; level < 3; level++)
        {
            int m = coarsest << level;
            var grid = dimension == 1 ? new ContinuumGrid(m) : new ContinuumGrid(m, m);
            using var solver = ContinuumProblems.Solver(grid, model);
            solver.Advance(end);
            solutions.Add((grid, solver.Positive, solver.Negative));
        }
        double e0 = Difference(solutions[0], solutions[1]);
        double e1 = Difference(solutions[1], solutions[2]);
        double order = Math.Log2(e0 / e1);
        Assert.True(order >= 1.8, $"observed order {order:F2} (differences {e0:E3}, {e1:E3})");
    }

    private static double Difference(
        (ContinuumGrid Grid, double[] Positive, double[] Negative) coarse, (ContinuumGrid Grid, double[] Positive, double[] Negative) fine) =>
        L1(coarse.Grid, coarse.Positive, Restrict(fine.Grid, fine.Positive))
        + L1(coarse.Grid, coarse.Negative, Restrict(fine.Grid, fine.Negative));

    private static double L1(ContinuumGrid grid, double[] a, double[] b) =>
        a.Zip(b, (x, y) => Math.Abs(x - y)).Sum() * grid.CellVolume;

    /// <summary>Averages 2 (1D) or 2×2 (2D) fine cells into each coarse cell.</summary>
    private static double[] Restrict(ContinuumGrid fine, double[] values)
    {
        if (fine.Dimension == 1)
        {
            return Enumerable.Range(0, fine.M1 / 2).Select(i => 0.5 * (values[2 * i] + values[2 * i + 1])).ToArray();
        }
        int m1 = fine.M1 / 2, m2 = fine.M2 / 2;
        var result = new double[m1 * m2];
        for (int i = 0; i < m1; i++)
        {
            for (int j = 0; j < m2; j++)
            {
                result[i * m2 + j] = 0.25 * (values[2 * i * fine.M2 + 2 * j] + values[2 * i * fine.M2 + 2 * j + 1]
                    + values[(2 * i + 1) * fine.M2 + 2 * j] + values[(2 * i + 1) * fine.M2 + 2 * j + 1]);
            }
        }
        return result;
    }
}
