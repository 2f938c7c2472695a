using System.Diagnostics;
using HpcGB.Host.Cli;
using HpcGB.Host.Tests.Service;
using HpcGB.Host.Tests.Support;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// Inputs and conditions that used to end in "unexpected …", a hang or a result that was not one: each now exits
/// with 1 (runtime) or 2 (input) and one line naming the cause.
/// </summary>
public sealed class CliFailureTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public CliFailureTests(CliHarness harness) => _harness = harness;

    [FullDiskFact]
    public void ADiskThatFillsUpWhileWritingTheTrajectoryIsOneLineAndLeavesNoIncompleteFile()
    {
        using var disk = SmallFileSystem.Mount(kilobytes: 300);
        string spec = _harness.WriteText("big.json", """
            { "dimension": 2, "regularization": { "delta": 0.05 }, "particles": { "init": "uniform", "n": 2000 },
              "time": { "end": 0.01, "outputs": 20 }, "forces": { "method": "pme" } }
            """);
        string output = disk.PathOf("run");
        var result = CliHarness.Run("run", spec, "--out", output);

        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        string error = ErrorLine(result);
        Assert.StartsWith($"error: cannot write {Path.Combine(output, "trajectory.h5.partial")}: No space left on device", error, StringComparison.Ordinal);
        Assert.EndsWith("the incomplete file was removed", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "trajectory.h5.partial")));
    }

    [Fact]
    public async Task AFifoOrADeviceAsTheSpecIsRefusedWithoutReadingIt()
    {
        string fifo = _harness.PathOf("spec.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }
        // Opening a FIFO with no writer would block forever: the command must not even try.
        var piped = await Task.Run(() => CliHarness.Run("forces", fifo)).WaitAsync(Wait.Patience);
        Assert.Equal(ExitCodes.InvalidInput, piped.ExitCode);
        Assert.Equal($"error: spec file {fifo} is a FIFO (named pipe), not a regular file\n", piped.Stderr);

        var zero = await Task.Run(() => CliHarness.Run("run", "/dev/zero")).WaitAsync(Wait.Patience);
        Assert.Equal(ExitCodes.InvalidInput, zero.ExitCode);
        Assert.Equal("error: spec file /dev/zero is a character device, not a regular file\n", zero.Stderr);
    }

    [Theory]
    [InlineData("", "error: $: malformed JSON at line 1, byte 1: the text is empty")]
    [InlineData("""{"dimension": 1, "particles": {"init": "uniform", "n": 4},}""", "error: $: malformed JSON at line 1, byte 59: a comma after the last entry")]
    [InlineData("""{"dimension": 1, "regularization": {"delta": NaN}, "particles": {"init": "uniform", "n": 4}}""", "error: $.regularization.delta: malformed JSON at line 1, byte 46: NaN is not a JSON number")]
    [InlineData("""{"dimension": 2, "regularization": {"type": "poisson", "delta": 1e-300}, "particles": {"init": "uniform", "n": 4}}""", "error: $.regularization.delta: must be in [1E-100, 0.25], got 1E-300")]
    [InlineData("""{"dimension": 2, "regularization": {"type": "poisson", "delta": 1e-7}, "particles": {"init": "uniform", "n": 100}}""", "error: $.forces: one force evaluation would cost about")]
    public void ABadSpecIsOneLineNamingTheField(string json, string line)
    {
        var result = CliHarness.Run("forces", _harness.WriteText($"bad-{Guid.NewGuid():N}.json", json), "--json");
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith(line, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AHugeUnknownKeyIsNotEchoed()
    {
        string key = new('x', 10 << 20);
        var result = CliHarness.Run("forces", _harness.WriteText("key.json", $$$"""{"dimension": 1, "{{{key}}}": 0, "particles": {"init": "uniform", "n": 4}}"""));
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"error: $['{new string('x', 64)}…' (10485760 characters)]: unknown key", result.Stderr, StringComparison.Ordinal);
        Assert.True(result.Stderr.Length < 400, $"{result.Stderr.Length} characters");
    }

    [Fact]
    public void AnEulerRunWhoseEnergyRisesFailsInsteadOfReportingCompleted()
    {
        string spec = _harness.WriteText("euler.json", """
            { "dimension": 1, "regularization": { "delta": 0.001 },
              "particles": { "init": "dipoles", "count": 20, "half_width": [0.0005] },
              "time": { "end": 0.1, "integrator": "euler", "step": 0.001, "outputs": 6 } }
            """);
        var result = CliHarness.Run("run", spec, "--out", _harness.PathOf("euler-out"));
        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        Assert.Matches("^error: euler: the energy rose from .* at t = 0 to .* at t = 0.02; a gradient flow cannot gain energy", ErrorLine(result));
        Assert.Contains("time.step = 0.001 is too large", ErrorLine(result), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnregularisedCollisionUnderDormandPrinceNamesBothParticles()
    {
        string spec = _harness.WriteText("collide.json", """
            { "dimension": 1, "regularization": { "type": "none" },
              "particles": { "positions": [0.1, 0.1001, 0.5, 0.7], "signs": [1, -1, 1, -1] },
              "time": { "end": 1, "integrator": "dp45", "outputs": 3 } }
            """);
        var result = CliHarness.Run("run", spec, "--out", _harness.PathOf("collide-out"));
        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        Assert.StartsWith("error: particles 0 and 1 collided at t ≈ ", ErrorLine(result), StringComparison.Ordinal);
        Assert.Contains("with regularization 'none'", ErrorLine(result), StringComparison.Ordinal);
    }

    /// <summary>The one <c>error:</c> line on stderr (progress lines aside); fails if there are more or an
    /// "unexpected" one.</summary>
    private static string ErrorLine(CliResult result)
    {
        var errors = result.Stderr.Split('\n').Where(line => line.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, result.Stderr);
        Assert.DoesNotContain("unexpected", errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        return errors[0];
    }
}
