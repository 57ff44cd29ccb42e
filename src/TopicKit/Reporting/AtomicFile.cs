using System.Text;

namespace TopicKit.Reporting;

/// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees half a file.</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteText(string path, string text, CancellationToken cancellationToken) =>
        WriteBytes(path, Utf8.GetBytes(text), cancellationToken);

    public static void WriteBytes(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
