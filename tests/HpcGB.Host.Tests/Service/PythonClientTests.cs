using System.Diagnostics;
using HpcGB.Tests.Shared;

namespace HpcGB.Host.Tests.Service;

/// <summary>The Python example client (clients/python/example.py) against a real server: it streams a run and
/// writes a PNG.</summary>
public sealed class PythonClientTests
{
    [PythonFact]
    public async Task TheExampleStreamsARunAndWritesAPlot()
    {
        Assert.True(PythonFactAttribute.MissingReason is null, PythonFactAttribute.MissingReason);
        await using var server = await TestServer.StartAsync();
        string png = Path.Combine(server.CheckpointDirectory, "example.png");
        Directory.CreateDirectory(server.CheckpointDirectory);
        string example = Path.Combine(Repository.Root, "clients", "python", "example.py");
        var start = new ProcessStartInfo(PythonFactAttribute.Python, [example, "--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--n", "60", "--out", png])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MPLCONFIGDIR"] = server.CheckpointDirectory; // matplotlib wants a writable cache
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        // Importing numpy and matplotlib and building its font cache take 12 s at load 33 on 2 cores: more than
        // Wait.Patience when other tests run beside it.
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(python.ExitCode == 0, $"example.py exited with {python.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.Contains("finished at t = 0.05: 11 frames, 3 states", await stdout, StringComparison.Ordinal);
        byte[] header = File.ReadAllBytes(png).Take(8).ToArray();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a], header);
    }
}
