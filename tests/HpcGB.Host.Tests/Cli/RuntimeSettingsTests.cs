using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace HpcGB.Host.Tests.Cli;

/// <summary>The start-up settings the built <c>hpcgb</c> carries: its runtimeconfig.json and the precompiled code of the
/// engine's assemblies (Directory.Build.props, Directory.Build.targets).</summary>
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

    [Theory]
    [InlineData("HpcGB.Engine.dll")]
    [InlineData("HpcGB.Interop.dll")]
    public void TheEngineAssembliesCarryReadyToRunCode(string assembly)
    {
        // The copy next to hpcgb is what runs: the build replaces the IL assembly with crossgen2's image, whose CLI header
        // points at a READYTORUN_HEADER ("RTR") with the precompiled methods; an IL-only assembly has no such header.
        using var pe = new PEReader(File.OpenRead(Path.Combine(AppContext.BaseDirectory, assembly)));
        var header = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory;
        Assert.True(header.Size > 0, $"{assembly} is IL only (no ReadyToRun header)");
        var signature = pe.GetSectionData(header.RelativeVirtualAddress).GetReader().ReadUInt32();
        Assert.Equal(0x00525452u, signature);
    }
}
