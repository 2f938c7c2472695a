using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Continuum;

/// <summary>An initial density of one sign for the continuum model.</summary>
public abstract record ContinuumDensity;

/// <summary>Cell values on a grid of exactly the solver's shape.</summary>
public sealed record GridDensity(DensityGrid Grid) : ContinuumDensity;

/// <summary>ρ(x) = mean + Σ_modes [c cos 2πk·x + s sin 2πk·x], taken as exact cell averages.</summary>
public sealed record ModeDensity(double Mean, IReadOnlyList<FourierMode> Modes) : ContinuumDensity;

/// <summary>Cell averages of a <see cref="ContinuumDensity"/> on a <see cref="ContinuumGrid"/>.</summary>
public static class InitialDensity
{
    /// <summary>
    /// The cell averages; a grid of another shape or a negative value throws <see cref="SpecException"/> at
    /// <paramref name="path"/>. Fourier modes are averaged exactly: the mean of cos 2πk·x over a cell is its
    /// centre value times Π_a sinc(πk_a h_a).
    /// </summary>
    public static double[] CellAverages(ContinuumGrid grid, ContinuumDensity density, string path)
    {
        ArgumentNullException.ThrowIfNull(grid);
        double[] values = density switch
        {
            GridDensity g => FromGrid(grid, g.Grid, path),
            ModeDensity m => FromModes(grid, m),
            _ => throw new NotSupportedException(density.GetType().Name),
        };
        for (int c = 0; c < values.Length; c++)
        {
            if (!(values[c] >= 0) || !double.IsFinite(values[c]))
            {
                string where = grid.Dimension == 1 ? $"cell {c}" : $"cell [{c / grid.M2}, {c % grid.M2}]";
                throw new SpecException(path, $"the density is negative in {where} (average {SpecFormat.Number(values[c])})");
            }
        }
        return values;
    }

    private static double[] FromGrid(ContinuumGrid grid, DensityGrid source, string path)
    {
        if (!source.Shape.SequenceEqual(grid.Shape))
        {
            throw new SpecException(
                path, $"grid has shape [{string.Join(", ", source.Shape)}], the solver grid is [{string.Join(", ", grid.Shape)}]");
        }
        return (double[])source.Values.Clone();
    }

    private static double[] FromModes(ContinuumGrid grid, ModeDensity density)
    {
        var values = new double[grid.CellCount];
        Span<double> centre = stackalloc double[grid.Dimension];
        for (int c = 0; c < values.Length; c++)
        {
            ContinuumField.CentrePoint(grid, c, centre);
            double value = density.Mean;
            foreach (var mode in density.Modes)
            {
                double phase = 0, damping = 1;
                for (int a = 0; a < grid.Dimension; a++)
                {
                    phase += 2 * Math.PI * mode.K[a] * centre[a];
                    double z = Math.PI * mode.K[a] * grid.Width(a);
                    damping *= z == 0 ? 1.0 : Math.Sin(z) / z;
                }
                value += damping * (mode.Cos * Math.Cos(phase) + mode.Sin * Math.Sin(phase));
            }
            values[c] = value;
        }
        return values;
    }
}
