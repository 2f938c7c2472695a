using System.Text.Json;

namespace HpcGB.Host.Tests.Cli;

/// <summary>The runtime settings the built <c>hpcgb</c> carries in its runtimeconfig.json (Directory.Build.props).</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void HotMethodsTierUpWithoutTheStartUpDelay()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "hpcgb.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // The runtime reads this name (checked by the tier-1 methods `hpcgb --help` compiles, docs/implicit.md
        // "Start-up: the runtime's settings"); the peer run's start-up depends on it.
        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out var delay));
        Assert.Equal(0, delay.GetInt32());
    }
}
