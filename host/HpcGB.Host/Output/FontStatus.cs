using SkiaSharp;

namespace HpcGB.Host.Output;

/// <summary>
/// Whether the plots can draw text. ScottPlot renders through SkiaSharp's dependency-free Linux build, which reads
/// fonts from /usr/share/fonts itself: on a bare Debian box with no fonts the PNGs are still written, but titles,
/// tick labels and legends come out blank. <c>hpcgb info</c> reports this, and runs log a warning.
/// </summary>
/// <param name="FamilyCount">Installed font families with a name.</param>
/// <param name="DefaultGlyphCount">Glyphs in Skia's default typeface: 0 when no usable font exists (Skia then
/// reports one unnamed, empty family).</param>
internal sealed record FontStatus(int FamilyCount, int DefaultGlyphCount)
{
    /// <summary>The Debian package that makes plot text appear.</summary>
    public const string DebianPackage = "fonts-dejavu-core";

    /// <summary>The preferred plot font when installed (clean sans-serif with the math glyphs we use).</summary>
    public const string PreferredFamily = "DejaVu Sans";

    private static readonly Lazy<FontStatus> Current = new(() =>
    {
        var manager = SKFontManager.Default;
        int named = Enumerable.Range(0, manager.FontFamilyCount).Count(i => !string.IsNullOrEmpty(manager.GetFamilyName(i)));
        return new FontStatus(named, SKTypeface.Default.GlyphCount);
    });

    public bool Found => FamilyCount > 0 && DefaultGlyphCount > 0;

    public static FontStatus Detect() => Current.Value;

    /// <summary>True when <see cref="PreferredFamily"/> is installed.</summary>
    public static bool HasPreferredFamily()
    {
        var manager = SKFontManager.Default;
        for (int i = 0; i < manager.FontFamilyCount; i++)
        {
            if (string.Equals(manager.GetFamilyName(i), PreferredFamily, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
