using System.Runtime.InteropServices;

namespace HpcGB.Interop.Files;

/// <summary>What a path names, as <c>stat</c> tells it (symbolic links followed).</summary>
public enum FileType
{
    /// <summary>Nothing at that path.</summary>
    Missing,
    RegularFile,
    Directory,
    /// <summary>A named pipe: opening it for reading waits for a writer.</summary>
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    /// <summary>The type could not be told (not Linux, or stat failed for another reason than a missing path).</summary>
    Unknown,
}

/// <summary>
/// The type of a file before opening it, which .NET does not expose: a FIFO would block the open and
/// <c>/dev/zero</c> reads forever, while <see cref="FileInfo"/> calls both "Normal". Linux only, through
/// <c>statx(2)</c>, whose structure has the same layout on every architecture; elsewhere <see cref="FileType.Unknown"/>
/// unless the path is missing or a directory.
/// </summary>
public static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    public static FileType Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? FileType.Directory : File.Exists(path) ? FileType.RegularFile : FileType.Missing;
        }
        // struct statx is 256 bytes; stx_mode (u16) sits at byte 28.
        Span<byte> buffer = stackalloc byte[256];
        int result;
        unsafe
        {
            fixed (byte* statx = buffer)
            {
                result = Statx(AtFdCwd, path, 0, StatxType, statx);
            }
        }
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? FileType.Missing : FileType.Unknown;
        }
        int mode = BitConverter.ToUInt16(buffer[28..30]) & 0xF000;
        return mode switch
        {
            0x8000 => FileType.RegularFile,
            0x4000 => FileType.Directory,
            0x1000 => FileType.Fifo,
            0xC000 => FileType.Socket,
            0x2000 => FileType.CharacterDevice,
            0x6000 => FileType.BlockDevice,
            _ => FileType.Unknown,
        };
    }

    /// <summary>Words for messages: "a FIFO (named pipe)", "a directory", …</summary>
    public static string Describe(FileType type) => type switch
    {
        FileType.Missing => "missing",
        FileType.RegularFile => "a regular file",
        FileType.Directory => "a directory",
        FileType.Fifo => "a FIFO (named pipe)",
        FileType.Socket => "a socket",
        FileType.CharacterDevice => "a character device",
        FileType.BlockDevice => "a block device",
        _ => "of an unknown type",
    };

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
