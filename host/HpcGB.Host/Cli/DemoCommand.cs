using System.CommandLine;
using HpcGB.Engine.Spec;
using HpcGB.Host.Demo;

namespace HpcGB.Host.Cli;

/// <summary><c>hpcgb demo [--out DIR]</c>: the built-in demonstration run (see <see cref="DemoSpec"/>).</summary>
internal static class DemoCommand
{
    public const string SpecFile = "spec.json";

    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Output directory",
            DefaultValueFactory = _ => Path.Combine("runs", "demo"),
        };
        var command = new Command(
            "demo",
            "Run the built-in demo (2D log kernel, 400 particles, U = 0.1 cos 2πx₁): clustering and dipole formation")
        {
            output,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, ct =>
        {
            string directory = Path.GetFullPath(parseResult.GetValue(output)!);
            var spec = DemoSpec.Create();
            Directory.CreateDirectory(directory);
            string specPath = Path.Combine(directory, SpecFile);
            File.WriteAllText(specPath, SpecWriter.ToJson(spec) + "\n");
            using var host = CliHost.Build(console, parseResult.GetValue(HpcgbCli.Verbose));
            var pipeline = new RunPipeline(console, host.Logger<RunPipeline>());
            return pipeline.Execute(spec, directory, RunOptions.Default with { ExtraOutputs = [new("spec", specPath)] }, ct);
        }));
        return command;
    }
}
