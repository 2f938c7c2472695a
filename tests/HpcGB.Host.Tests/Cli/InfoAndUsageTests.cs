using System.Text.Json;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb info</c>, help, and command-line errors.</summary>
public sealed class InfoAndUsageTests
{
    [Fact]
    public void InfoSucceeds()
    {
        var result = CliHarness.Run("info");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("AVX2", result.Stdout);
        Assert.Contains("libfftw3.so.3", result.Stdout);
        Assert.Contains("libOpenCL.so.1", result.Stdout);
    }

    [Fact]
    public void InfoJsonDescribesSimdAndNativeLibraries()
    {
        var result = CliHarness.Run("info", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        var simd = root.GetProperty("simd");
        foreach (string flag in new[] { "avx2", "fma", "avx512f", "vector256_accelerated", "vector512_accelerated" })
        {
            Assert.True(simd.GetProperty(flag).ValueKind is JsonValueKind.True or JsonValueKind.False, flag);
        }
        Assert.True(root.GetProperty("processor_count").GetInt32() >= 1);
        Assert.Contains(".NET", root.GetProperty("runtime").GetString());
        var libraries = root.GetProperty("native_libraries").EnumerateArray().ToArray();
        Assert.Equal(3, libraries.Length);
        Assert.All(libraries, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("debian_packages").GetString())));
    }

    [Fact]
    public void HelpExitsZero()
    {
        var result = CliHarness.Run("--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("run", result.Stdout);
        Assert.Contains("forces", result.Stdout);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("run")]
    [InlineData("run", "a.json", "--bogus")]
    public void BadArgumentsExitTwo(params string[] args)
    {
        var result = CliHarness.Run(args);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }
}
