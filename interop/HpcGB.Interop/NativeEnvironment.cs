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

    /// <summary>The value a native library reads for <paramref name="name"/>; null where it is not set.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    // char *getenv(const char *name)
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);

    // int setenv(const char *name, const char *value, int overwrite)
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
