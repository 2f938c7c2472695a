namespace HpcGB.Host.Tests.Service;

/// <summary>Tests that set process environment variables run alone: every server started meanwhile would read them.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>The layering appsettings.json &lt; <c>HPCGB_</c> environment variables &lt; command line, seen through which
/// bad value start-up validation reports (a settings file with a bad <c>MaxRuns</c> keeps the server from starting).</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class ServeEnvironmentTests
{
    [Fact]
    public void EnvironmentOverridesTheFileAndTheCommandLineOverridesBoth()
    {
        using var files = new CliHarness();
        string settings = files.WriteText("appsettings.json", """{ "Service": { "Workers": 3, "MaxRuns": 0 } }""");
        Environment.SetEnvironmentVariable("HPCGB_Service__Workers", "0");
        try
        {
            var environment = CliHarness.Run("serve", "--config", settings);
            Assert.Equal(2, environment.ExitCode);
            Assert.Contains("error: Service:Workers: must be 1…1024, got 0", environment.Stderr, StringComparison.Ordinal);
            Assert.Contains("error: Service:MaxRuns: must be positive, got 0", environment.Stderr, StringComparison.Ordinal);

            var commandLine = CliHarness.Run("serve", "--config", settings, "--workers", "2");
            Assert.Equal(2, commandLine.ExitCode);
            Assert.DoesNotContain("Workers", commandLine.Stderr, StringComparison.Ordinal);
            Assert.Contains("error: Service:MaxRuns: must be positive, got 0", commandLine.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HPCGB_Service__Workers", null);
        }
    }
}
