namespace TopicKit.Pipeline;

/// <summary>
/// All-or-nothing output files: each file is written to a temporary file in its own folder and renamed over the
/// target only once every file of the set is complete, so a failure or Ctrl+C never leaves a half-written or stale
/// mix behind and never leaves the temporary files either.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes one file: <paramref name="write"/> receives the temporary path to write to.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    /// <exception cref="IOException"><paramref name="path"/> is a folder, or the file cannot be written.</exception>
    public static void Write(string path, Action<string> write) => WriteAll([(path, write)]);

    /// <summary>
    /// Writes several files together: all temporary files first, then the renames. Paths must be distinct (two outputs
    /// aimed at one file would silently overwrite each other).
    /// </summary>
    /// <param name="files">Each target path and the action that writes its content to the temporary path it is given.</param>
    /// <exception cref="ArgumentException">Two targets are the same file.</exception>
    /// <exception cref="IOException">A target is a folder, or a file cannot be written.</exception>
    public static void WriteAll(IReadOnlyList<(string Path, Action<string> Write)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var targets = files.Select(f => System.IO.Path.GetFullPath(f.Path)).ToArray();
        var comparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        if (targets.Distinct(comparer).Count() != targets.Length)
        {
            var twice = targets.GroupBy(t => t, comparer).First(g => g.Count() > 1).Key;
            throw new ArgumentException($"{twice} is named as two different outputs; give each output its own file.", nameof(files));
        }

        foreach (var target in targets)
        {
            if (Directory.Exists(target))
            {
                throw new IOException($"{target} is a folder; name a file to write.");
            }
        }

        var temporaries = new List<string>(targets.Length);
        try
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var temporary = TemporaryPath(targets[i]);
                temporaries.Add(temporary);
                files[i].Write(temporary);
            }

            for (var i = 0; i < targets.Length; i++)
            {
                File.Move(temporaries[i], targets[i], overwrite: true);
            }

            temporaries.Clear();
        }
        finally
        {
            foreach (var temporary in temporaries)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>A fresh name beside <paramref name="target"/> (same folder, so the rename never crosses file systems).</summary>
    private static string TemporaryPath(string target) =>
        target + "." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".partial";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Only a leftover; the error being reported matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
