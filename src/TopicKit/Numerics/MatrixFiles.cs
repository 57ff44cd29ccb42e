namespace TopicKit.Numerics;

/// <summary>Checks shared by the matrix file readers (<see cref="NpyFile"/>, <see cref="MatrixCsv"/>).</summary>
internal static class MatrixFiles
{
    /// <summary>
    /// Refuses a path that reports no content before opening it: an empty file, or a FIFO or device, whose open
    /// would block until a writer appears (or, for /dev/zero, never end).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is empty or not a regular file.</exception>
    public static void RequireRegularFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0)
        {
            throw new InvalidDataException(
                $"{path}: the file is empty (0 bytes), or it is not a regular file (a pipe, FIFO or device, which is not read because it can block); pass a matrix file.");
        }
    }
}
