using HpcGB.Engine.Continuum;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Continuum;

/// <summary>
/// The FFT drift against direct Fourier sums: for densities made of a few modes the grid's κ̂_k are the modes'
/// amplitudes times the cell-average damping Π sinc(πk_a h_a) (no aliasing below M/2), so
/// w_a(x) = Σ_modes ∂_a[V̂_δ,k (c cos 2πk·x + s sin 2πk·x)] + ∂_aU − F_a can be summed directly at every face.
/// </summary>
public sealed class ContinuumFieldTests
{
    public static TheoryData<int, KernelType, MobilityType, RegularizationType> Cases() => new()
    {
        { 1, KernelType.Log, MobilityType.Isotropic, RegularizationType.Gaussian },
        { 1, KernelType.Log, MobilityType.Isotropic, RegularizationType.Poisson },
        { 1, KernelType.Log, MobilityType.Isotropic, RegularizationType.None },
        { 2, KernelType.Log, MobilityType.Isotropic, RegularizationType.Gaussian },
        { 2, KernelType.Log, MobilityType.Isotropic, RegularizationType.None },
        { 2, KernelType.Edge, MobilityType.Glide, RegularizationType.Gaussian },
        { 2, KernelType.Edge, MobilityType.Isotropic, RegularizationType.Poisson },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DriftMatchesDirectFourierSumsAtTheFaces(
        int dimension, KernelType kernel, MobilityType mobility, RegularizationType regularization)
    {
        var model = ContinuumProblems.Model(dimension, kernel, mobility, regularization, force: 0.3);
        var grid = dimension == 1 ? new ContinuumGrid(48) : new ContinuumGrid(24, 20);
        var positive = ContinuumProblems.Positive(dimension);
        var negative = ContinuumProblems.Negative(dimension);
        using var field = new ContinuumField(grid, model);
        var drift = field.NewFaceArrays();
        field.Drift(
            InitialDensity.CellAverages(grid, positive, "$"), InitialDensity.CellAverages(grid, negative, "$"), drift);

        Assert.Equal(mobility == MobilityType.Isotropic ? dimension : 1, drift.Length);
        Span<double> point = stackalloc double[dimension];
        Span<double> gradient = stackalloc double[dimension];
        double largest = 0, worst = 0;
        for (int axis = 0; axis < drift.Length; axis++)
        {
            for (int c = 0; c < grid.CellCount; c++)
            {
                ContinuumField.FacePoint(grid, c, axis, point);
                gradient.Clear();
                model.External.AddGradient(point, gradient);
                double expected = gradient[axis] - model.External.Force[axis]
                    + ModeGradient(grid, model, positive, point, axis) - ModeGradient(grid, model, negative, point, axis);
                largest = Math.Max(largest, Math.Abs(expected));
                worst = Math.Max(worst, Math.Abs(drift[axis][c] - expected));
            }
        }
        Assert.True(worst <= 1e-12 * largest, $"max deviation {worst:E3} (largest drift {largest:E3})");
    }

    [Fact]
    public void EnergyMatchesTheDirectModeSum()
    {
        // Two modes of κ: E = ½ Σ_{±k} V̂_k |κ̂_k|² + ∫Uκ = ¼ Σ_modes V̂_k D_k²(c² + s²) + ∫Uκ.
        var model = ContinuumProblems.Model(1, delta: 0.02);
        var grid = new ContinuumGrid(64);
        var positive = new ModeDensity(0.5, [new FourierMode([3], 0.1, 0.05)]);
        var negative = new ModeDensity(0.5, [new FourierMode([1], 0.0, 0.2)]);
        using var field = new ContinuumField(grid, model);
        double energy = field.Energy(
            InitialDensity.CellAverages(grid, positive, "$"), InitialDensity.CellAverages(grid, negative, "$"));

        double interaction = 0;
        foreach (var (k, c, s) in new[] { (3, 0.1, 0.05), (1, 0.0, 0.2) })
        {
            double damping = Math.Sin(Math.PI * k / 64.0) / (Math.PI * k / 64.0);
            interaction += 0.25 * FourierCoefficients.Coefficient(1, KernelType.Log, model.Regularization, k, 0)
                * damping * damping * (c * c + s * s);
        }
        // The field takes U at the cell centres (second order): the same sum here.
        double external = 0;
        var kp = InitialDensity.CellAverages(grid, positive, "$");
        var kn = InitialDensity.CellAverages(grid, negative, "$");
        for (int i = 0; i < 64; i++)
        {
            external += model.External.Value([grid.Centre(0, i)]) * (kp[i] - kn[i]) / 64.0;
        }
        Assert.Equal(interaction + external, energy, 1e-14);
    }

    private static double ModeGradient(ContinuumGrid grid, SystemModel model, ModeDensity density, ReadOnlySpan<double> x, int axis)
    {
        double sum = 0;
        foreach (var mode in density.Modes)
        {
            double phase = 0, damping = 1;
            for (int a = 0; a < grid.Dimension; a++)
            {
                phase += 2 * Math.PI * mode.K[a] * x[a];
                double z = Math.PI * mode.K[a] * grid.Width(a);
                damping *= z == 0 ? 1.0 : Math.Sin(z) / z;
            }
            double coefficient = FourierCoefficients.Coefficient(
                model.Dimension, model.Kernel, model.Regularization, mode.K[0], grid.Dimension == 2 ? mode.K[1] : 0);
            double k = 2 * Math.PI * mode.K[axis];
            sum += coefficient * damping * k * (-mode.Cos * Math.Sin(phase) + mode.Sin * Math.Cos(phase));
        }
        return sum;
    }
}
