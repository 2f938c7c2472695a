using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>A legend line for something drawn without a legend item of its own (a heatmap background, a note).</summary>
internal sealed class LegendEntry(LegendItem item) : IPlottable
{
    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new ScottPlot.Axes();

    public IEnumerable<LegendItem> LegendItems => [item];

    public AxisLimits GetAxisLimits() => AxisLimits.NoLimits;

    public void Render(RenderPack rp)
    {
    }
}
