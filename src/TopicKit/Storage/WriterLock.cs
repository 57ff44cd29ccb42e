using System.Diagnostics;
using System.Globalization;

namespace TopicKit.Storage;

/// <summary>
/// The exclusive writer lock of a workspace: an OS file lock on <c>writer.lock</c> (on Unix .NET takes
/// <c>flock</c> for <see cref="FileShare.None"/>, on Windows a share-mode lock), so it is released by the OS
/// even when the holder crashes. The holder's pid goes to <c>writer.owner</c> so a waiting process can say who
/// holds it; that file is informational only and a stale copy is harmless.
/// </summary>
internal sealed class WriterLock : IDisposable
{
    private const string LockFileName = "writer.lock";
    private const string OwnerFileName = "writer.owner";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;

    private WriterLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, retrying until <paramref name="timeout"/> elapses.</summary>
    /// <exception cref="WorkspaceLockedException">When another holder keeps it longer than the timeout.</exception>
    public static WriterLock Acquire(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(directory, LockFileName);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryOpen(directory, lockPath) is { } stream)
            {
                WriteOwner(directory);
                return new WriterLock(stream);
            }

            if (clock.Elapsed >= timeout)
            {
                throw new WorkspaceLockedException(directory, ReadOwnerPid(directory), timeout);
            }

            cancellationToken.WaitHandle.WaitOne(PollInterval);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private static FileStream? TryOpen(string directory, string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            // Held by another process, or by another Workspace instance of this process (flock is per open file).
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            // Not "in use": waiting would only end in a misleading message.
            throw new WorkspaceReadOnlyException(directory, ex);
        }
    }

    private static void WriteOwner(string directory)
    {
        try
        {
            File.WriteAllText(
                Path.Combine(directory, OwnerFileName),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The owner file only improves the "in use" message; failing to write it must not fail the write.
        }
    }

    private static int? ReadOwnerPid(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
