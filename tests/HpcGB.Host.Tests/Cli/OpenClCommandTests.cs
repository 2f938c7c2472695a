using System.Text.Json;
using HpcGB.Host.Cli;
using HpcGB.Tests.Shared;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// <c>forces.device "opencl"</c> through the command line: <c>hpcgb forces</c>, <c>hpcgb run</c> (DP45 and implicit)
/// and <c>hpcgb info</c> on the test device; bad selections exit 2 naming the field.
/// </summary>
public sealed class OpenClCommandTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public OpenClCommandTests(CliHarness harness) => _harness = harness;

    private static string Spec(string forces, string integrator = "dp45", string regularization = "gaussian") => $$"""
        { "dimension": 2, "kernel": "log", "regularization": { "type": "{{regularization}}", "delta": 0.002 },
          "particles": { "init": "uniform", "n": 300 },
          "time": { "end": 0.0002, "outputs": 3, "integrator": "{{integrator}}" },
          "forces": {{forces}}, "seed": 5 }
        """;

    private static string OnDevice(string method = "pme")
    {
        var device = OpenClTestDevice.Device;
        return $$"""{ "method": "{{method}}", "tolerance": 1e-8, "device": "opencl", "opencl": { "platform": {{device.Platform}}, "device": {{device.Index}} } }""";
    }

    [OpenClFact]
    public void ForcesOnTheDeviceAgreeWithTheCpuAndNameTheDevice()
    {
        var cpu = CliHarness.Run("forces", _harness.WriteText("forces-cpu.json", Spec("""{ "method": "pme", "tolerance": 1e-8 }""")), "--json");
        var device = CliHarness.Run("forces", _harness.WriteText("forces-opencl.json", Spec(OnDevice())), "--json");

        Assert.True(device.ExitCode == ExitCodes.Success, device.Stderr);
        using var a = JsonDocument.Parse(cpu.Stdout);
        using var b = JsonDocument.Parse(device.Stdout);
        var parameters = b.RootElement.GetProperty("parameters");
        Assert.Equal("opencl", parameters.GetProperty("device").GetString());
        Assert.Equal(OpenClTestDevice.Device.Name, parameters.GetProperty("device_name").GetString());
        Assert.Equal(OpenClTestDevice.Device.Vendor, parameters.GetProperty("device_vendor").GetString());
        Assert.Equal("cpu", a.RootElement.GetProperty("parameters").GetProperty("device").GetString());
        double energyCpu = a.RootElement.GetProperty("energy").GetDouble();
        Assert.Equal(energyCpu, b.RootElement.GetProperty("energy").GetDouble(), 1e-10 * Math.Abs(energyCpu));
        var (v, w) = (a.RootElement.GetProperty("velocities"), b.RootElement.GetProperty("velocities"));
        double difference = 0, scale = 0;
        for (int i = 0; i < v.GetArrayLength(); i++)
        {
            for (int k = 0; k < 2; k++)
            {
                difference = Math.Max(difference, Math.Abs(v[i][k].GetDouble() - w[i][k].GetDouble()));
                scale = Math.Max(scale, Math.Abs(v[i][k].GetDouble()));
            }
        }
        // One chooser for both: the same split, so the two agree to rounding, far inside the tolerance.
        Assert.True(difference <= 1e-11 * scale, $"max |Δv| {difference:E2} of {scale:E2}");
    }

    [OpenClTheory]
    [InlineData("dp45")]
    [InlineData("implicit")]
    public void RunsOnTheDeviceWithEitherIntegratorAndRecordItInTheSummary(string integrator)
    {
        string outDir = _harness.PathOf($"opencl-{integrator}");

        var result = CliHarness.Run("run", _harness.WriteText($"opencl-{integrator}.json", Spec(OnDevice("auto"), integrator)), "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, RunPipeline.SummaryFile)));
        Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
        var forces = summary.RootElement.GetProperty("methods").GetProperty("forces");
        Assert.Equal("opencl", forces.GetProperty("device").GetString());
        Assert.Equal(OpenClTestDevice.Device.Driver, forces.GetProperty("device_driver").GetString());
        Assert.Equal(integrator, summary.RootElement.GetProperty("methods").GetProperty("integrator").GetString());
    }

    [OpenClFact]
    public void ADeviceThatDoesNotExistExitsTwoNamingTheField()
    {
        string forces = """{ "method": "pme", "device": "opencl", "opencl": { "platform": 0, "device": 99 } }""";
        string outDir = _harness.PathOf("opencl-missing");

        var result = CliHarness.Run("run", _harness.WriteText("opencl-missing.json", Spec(forces)), "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: $.forces.opencl: no OpenCL device 99 on platform 0", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [OpenClFact]
    public void ACollisionOnTheDeviceExitsOneNamingBothParticles()
    {
        string spec = $$"""
            { "dimension": 2, "regularization": { "type": "none" },
              "particles": { "positions": [[0.5, 0.5], [0.2, 0.7], [0.5, 0.5]], "signs": [1, 1, -1] },
              "forces": {{OnDevice()}} }
            """;

        var result = CliHarness.Run("forces", _harness.WriteText("opencl-collision.json", spec), "--json");

        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        Assert.Contains("particles 0 and 2 collided", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [OpenClFact]
    public void InfoListsTheDevicesWithDoublePrecisionMemoryAndComputeUnits()
    {
        var result = CliHarness.Run("info", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var info = JsonDocument.Parse(result.Stdout);
        var openCl = info.RootElement.GetProperty("opencl");
        Assert.True(openCl.GetProperty("available").GetBoolean());
        Assert.StartsWith("VkFFT ", openCl.GetProperty("fft").GetString());
        var device = openCl.GetProperty("devices").EnumerateArray()
            .Single(d => d.GetProperty("platform").GetInt32() == OpenClTestDevice.Device.Platform && d.GetProperty("device").GetInt32() == OpenClTestDevice.Device.Index);
        Assert.True(device.GetProperty("fp64").GetBoolean());
        Assert.True(device.GetProperty("compute_units").GetInt32() > 0);
        Assert.True(device.GetProperty("global_memory_bytes").GetInt64() > 0);
        Assert.Equal(OpenClTestDevice.Device.Name, device.GetProperty("name").GetString());
    }
}
