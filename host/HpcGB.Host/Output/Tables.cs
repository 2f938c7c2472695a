using HpcGB.Host.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HpcGB.Host.Output;

/// <summary>Renders Spectre.Console tables to the invocation's stdout (plain text when it is not a terminal).</summary>
internal static class Tables
{
    public static void Write(CliConsole console, IRenderable renderable)
    {
        bool terminal = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Wide enough for output paths; Spectre would otherwise wrap at 80 columns.
            ansi.Profile.Width = 160;
        }
        ansi.Write(renderable);
        console.Out.WriteLine();
    }
}
