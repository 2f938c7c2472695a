using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpcGB.Tests.Shared;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// tests/fuzz/rpc_fuzz.py — a client of its own (Python's msgpack, none of this project's wire code) — sends
/// random and structurally-valid-but-wrong messages over pipelined connections: every request with a readable msgid
/// gets exactly one reply, none is an internal error, and the server goes on serving.
/// </summary>
public sealed class IndependentFuzzTests
{
    private const int Messages = 12_000;

    [PythonFact]
    public async Task EveryRequestWithAReadableMsgIdGetsExactlyOneReply()
    {
        Assert.True(PythonFactAttribute.MissingReason is null, PythonFactAttribute.MissingReason);
        // Small work limits keep the random specs cheap: this is about the protocol, not about force evaluations.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Service:MaxEvaluationWork"] = "1e6",
            ["Service:MaxParticles"] = "5000",
        });
        string script = Path.Combine(Repository.Root, "tests", "fuzz", "rpc_fuzz.py");
        var start = new ProcessStartInfo(PythonFactAttribute.Python,
            [script, "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--messages", Messages.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var fuzz = Process.Start(start)!;
        var stdout = fuzz.StandardOutput.ReadToEndAsync();
        var stderr = fuzz.StandardError.ReadToEndAsync();
        await fuzz.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(fuzz.ExitCode == 0, $"rpc_fuzz.py exited with {fuzz.ExitCode}:\n{await stdout}\n{await stderr}");

        using var counts = JsonDocument.Parse(await stdout);
        int Count(string name) => counts.RootElement.GetProperty(name).GetInt32();
        Assert.Equal(Messages, Count("messages"));
        Assert.True(Count("readable_msgids") > Messages / 2, await stdout);
        Assert.Equal(Count("readable_msgids"), Count("answered"));
        Assert.Equal(0, Count("unanswered"));
        Assert.True(Count("error_notifications") > 0, await stdout); // the messages without a msgid were answered too

        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        Assert.DoesNotContain("fail:", server.Log, StringComparison.Ordinal);
    }
}
