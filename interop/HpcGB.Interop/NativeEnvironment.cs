using System.Runtime.InteropServices;

namespace HpcGB.Interop;

/// <summary>
/// The process environment as native libraries read it. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only the runtime's own copy on Unix, so a setting for a native library (UCX, libgomp) that reads its
/// options as it loads goes through libc's <c>setenv</c>, before that library is loaded.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless it is set; false when libc refused
    /// (out of memory, an invalid name).</summary>
    public static bool SetUnlessSet(string name, string value) => SetEnv(name, value, overwrite: 0) == 0;

    // int setenv(const char *name, const char *value, int overwrite)
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
