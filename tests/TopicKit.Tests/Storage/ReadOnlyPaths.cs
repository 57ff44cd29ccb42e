using System.Diagnostics;

namespace TopicKit.Tests.Storage;

/// <summary>
/// Makes files and folders truly read-only for the life of the object. Permission bits do not stop root (which runs
/// the tests in CI), so as root the immutable attribute (<c>chattr +i</c>) is set as well; either way the protection is
/// verified, and a test that cannot get a read-only path fails instead of passing vacuously.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyPaths : IDisposable
{
    private readonly List<(string Path, UnixFileMode Mode)> _protected = [];
    private readonly bool _immutable = Environment.UserName == "root";

    /// <summary>Protects <paramref name="path"/> (a file or a folder; a folder's files stay as they are).</summary>
    public ReadOnlyPaths Protect(string path)
    {
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        _protected.Add((path, mode));
        if (_immutable)
        {
            Chattr("+i", path);
        }

        if (Writable(path))
        {
            throw new InvalidOperationException($"could not make {path} read-only for the test (neither permissions nor chattr +i took effect).");
        }

        return this;
    }

    public void Dispose()
    {
        for (var i = _protected.Count - 1; i >= 0; i--)
        {
            var (path, mode) = _protected[i];
            if (_immutable)
            {
                Chattr("-i", path);
            }

            File.SetUnixFileMode(path, mode);
        }
    }

    private static bool Writable(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                var probe = Path.Combine(path, ".write-probe");
                File.WriteAllText(probe, "x");
                File.Delete(probe);
            }
            else
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} {path} failed: {error.Trim()}");
        }
    }
}
