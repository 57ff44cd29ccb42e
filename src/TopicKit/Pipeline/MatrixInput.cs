using TopicKit.Numerics;

namespace TopicKit.Pipeline;

/// <summary>Reads the embedding matrices the stages take from files.</summary>
public static class MatrixInput
{
    /// <summary>Reads a <c>.npy</c> (float32/float64, 2-D, C order) or numeric <c>.csv</c> (no header) matrix and checks
    /// that every value is finite.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">Neither extension.</exception>
    /// <exception cref="InvalidDataException">A damaged file, or a NaN or infinite value (named by row and column).</exception>
    public static Matrix Read(string path)
    {
        var matrix = ReadUnchecked(path);
        matrix.EnsureFinite(path);
        return matrix;
    }

    /// <summary>Reads a matrix like <see cref="Read"/> but leaves checking its values to the caller, whose message can
    /// then say what a non-finite row means for its task (see <see cref="Matrix.FirstNonFinite"/>).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">Neither extension.</exception>
    /// <exception cref="InvalidDataException">A damaged file.</exception>
    public static Matrix ReadUnchecked(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var matrix = extension switch
        {
            ".npy" => NpyFile.Read(path),
            ".csv" => MatrixCsv.Read(path),
            _ => throw new ArgumentException($"{path}: use a .npy or .csv file (got '{extension}').", nameof(path)),
        };
        return matrix;
    }
}
