using HpcGB.Host.Output;

namespace HpcGB.Host.Experiments;

/// <summary>A quantity against a sweep parameter on linear axes (PNG), in the shared plot style.</summary>
internal static class ParameterPlot
{
    public static void Write(string path, string title, string xLabel, string yLabel, double[] x, double[] y)
    {
        var plot = PlotTheme.NewPlot();
        var line = plot.Add.Scatter(x, y);
        line.MarkerSize = 9;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Figure.SavePng(path, 1000, 700, Figure.Of(plot));
    }
}
