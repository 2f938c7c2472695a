using HpcGB.Interop;

namespace HpcGB.Host.Tests.Interop;

/// <summary>Capability detection never throws and reports every known native library.</summary>
public sealed class CapabilitiesTests
{
    [Fact]
    public void DetectReportsEveryKnownLibrary()
    {
        var capabilities = Capabilities.Detect();

        Assert.Equal(NativeLibraryProbe.Known.Count, capabilities.NativeLibraries.Count);
        Assert.True(capabilities.ProcessorCount >= 1);
        Assert.False(string.IsNullOrWhiteSpace(capabilities.Runtime));
        // A wider accelerated vector implies the narrower ones.
        if (capabilities.Vector512Accelerated)
        {
            Assert.True(capabilities.Vector256Accelerated);
        }
        Assert.Contains(capabilities.WidestVectorBits, new[] { 0, 128, 256, 512 });
    }

    [Fact]
    public void ProbeFindsTheCLibraryAndNotANonsenseName()
    {
        Assert.True(NativeLibraryProbe.TryLoad(OperatingSystem.IsLinux() ? "libc.so.6" : "kernel32"));
        Assert.False(NativeLibraryProbe.TryLoad("libhpcgb-does-not-exist.so.42"));
    }
}
