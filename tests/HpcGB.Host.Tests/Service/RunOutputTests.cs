using System.Text.Json;
using HpcGB.Client;
using HpcGB.Client.Wire;
using HpcGB.Host.Cli;
using PureHDF;

namespace HpcGB.Host.Tests.Service;

/// <summary><c>create_run(spec, {"outputs": NAME})</c> writes the CLI's trajectory.h5 and summary.json on the server.</summary>
public sealed class RunOutputTests
{
    [Fact]
    public async Task AServiceRunWritesTheSameFilesAsTheCommandLine()
    {
        string root = TestServer.NewDirectory();
        string spec = Specs.Small(n: 30, end: 0.02, outputs: 5, integrator: "dp45");
        try
        {
            await using (var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Service:OutputDirectory"] = root }))
            {
                await using var client = await server.ConnectAsync();
                long run = await client.CreateRunAsync(spec, "first");
                await Wait.For(client.AdvanceAsync(run, 0.02));
                await client.DeleteRunAsync(run);

                var taken = await Assert.ThrowsAsync<RpcException>(() => client.CreateRunAsync(spec, "first"));
                Assert.Contains("already holds files", taken.Message);
                var path = await Assert.ThrowsAsync<RpcException>(() => client.CreateRunAsync(spec, "../elsewhere"));
                Assert.Contains("a name, not a path", path.Message);
            }

            string cli = Path.Combine(root, "cli");
            Assert.Equal(ExitCodes.Success, CliHarness.Run("run", WriteSpec(root, spec), "--out", cli).ExitCode);
            using var service = H5File.OpenRead(Path.Combine(root, "first", RunPipeline.TrajectoryFile));
            using var command = H5File.OpenRead(Path.Combine(cli, RunPipeline.TrajectoryFile));
            Assert.Equal(command.Dataset("positions").Read<double[]>(), service.Dataset("positions").Read<double[]>());
            Assert.Equal(command.Dataset("bound_dipoles").Read<long[]>(), service.Dataset("bound_dipoles").Read<long[]>());
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "first", RunPipeline.SummaryFile)));
            Assert.Equal("finished", summary.RootElement.GetProperty("status").GetString());
            Assert.Equal(5, summary.RootElement.GetProperty("observables").GetArrayLength());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string WriteSpec(string directory, string spec)
    {
        string path = Path.Combine(directory, "spec.json");
        File.WriteAllText(path, spec);
        return path;
    }
}
