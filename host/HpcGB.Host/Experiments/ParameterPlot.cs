using HpcGB.Host.Output;
using ScottPlot;

namespace HpcGB.Host.Experiments;

/// <summary>A quantity against a sweep parameter on linear axes (PNG).</summary>
internal static class ParameterPlot
{
    static ParameterPlot()
    {
        if (FontStatus.HasPreferredFamily())
        {
            Fonts.Default = FontStatus.PreferredFamily;
        }
    }

    public static void Write(string path, string title, string xLabel, string yLabel, double[] x, double[] y)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(x, y);
        line.MarkerSize = 9;
        line.LegendText = yLabel;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 700);
    }
}
