namespace HpcGB.Host.Experiments;

/// <summary>The least-squares line log y = log a + p log x through positive points: y ≈ a·x^p.</summary>
internal readonly record struct LogLogFit(double Slope, double Prefactor)
{
    public static LogLogFit Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var points = x.Zip(y).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second))
            .Select(p => (X: Math.Log(p.First), Y: Math.Log(p.Second))).ToArray();
        if (points.Length < 2)
        {
            return new LogLogFit(double.NaN, double.NaN);
        }
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        double sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        double slope = sxy / sxx;
        return new LogLogFit(slope, Math.Exp(my - slope * mx));
    }

    public double At(double x) => Prefactor * Math.Pow(x, Slope);
}
