using HpcGB.Host.Cli;
using HpcGB.Interop.Fftw;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb wisdom</c>: writes FFTW wisdom that a later process imports; bad arguments get one line.</summary>
public sealed class WisdomCommandTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public WisdomCommandTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void WritesWisdomForTheGivenMeshes()
    {
        string path = _harness.PathOf("wisdom-64-96");

        var result = CliHarness.Run("wisdom", path, "--mesh", "64", "96", "--threads", "1");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("M = 64, 96 on 1 thread(s)", result.Stdout);
        Assert.StartsWith("(fftw-3", File.ReadAllText(path).TrimStart());
        Assert.True(FftwLibrary.ImportWisdom(path));
    }

    [Theory]
    [InlineData(ExitCodes.InvalidInput, "--mesh", "--mesh", "1")]
    [InlineData(ExitCodes.InvalidInput, "--mesh", "--mesh", "100000")]
    [InlineData(ExitCodes.InvalidInput, "--threads", "--mesh", "64", "--threads", "0")]
    public void RejectsBadArgumentsWithOneLine(int exitCode, string field, params string[] options)
    {
        var result = CliHarness.Run(["wisdom", _harness.PathOf("wisdom-bad"), .. options]);

        Assert.Equal(exitCode, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {field}:", line);
        Assert.False(File.Exists(_harness.PathOf("wisdom-bad")));
    }

    [Fact]
    public void AnUnwritableFileIsARuntimeFailureWithOneLine()
    {
        var result = CliHarness.Run("wisdom", _harness.PathOf(Path.Combine("no-such-directory", "w")), "--mesh", "32", "--threads", "1");

        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
