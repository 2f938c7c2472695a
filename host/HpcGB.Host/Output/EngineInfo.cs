using System.Reflection;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Output;

/// <summary>Version strings written into every output.</summary>
internal static class EngineInfo
{
    /// <summary>The engine assembly's informational version (the repository's &lt;Version&gt;).</summary>
    public static string Version { get; } = ReadVersion(typeof(SimulationSpec).Assembly);

    private static string ReadVersion(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
