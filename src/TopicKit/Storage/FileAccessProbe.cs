using System.Runtime.InteropServices;

namespace TopicKit.Storage;

/// <summary>
/// Whether this process may write a file or folder, asked of the OS without writing anything. Permission bits alone
/// are not the answer: root ignores them, while an immutable attribute or a read-only mount stops even root.
/// </summary>
internal static partial class FileAccessProbe
{
    private const int WriteOk = 2; // W_OK

    /// <summary>True when <paramref name="path"/> (a file or a folder) can be written.</summary>
    public static bool CanWrite(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows has no access(2); the read-only attribute is what blocks writers there.
            return !File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly) || System.IO.Directory.Exists(path);
        }

        return Access(path, WriteOk) == 0;
    }

    // access(2) through the runtime's own native shim, which ships with every .NET on Unix ("libc" may resolve to
    // a linker script on glibc systems).
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
