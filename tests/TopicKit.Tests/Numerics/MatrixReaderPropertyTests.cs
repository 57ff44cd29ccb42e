using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TopicKit.Numerics;

namespace TopicKit.Tests.Numerics;

/// <summary>Generated .npy and CSV matrix files: intact, truncated, with bytes changed, or random.</summary>
public static class MatrixArbitraries
{
    public static Arbitrary<MatrixCase> Cases() => Arb.From(Gen.Frequency(
        (2, Intact()),
        (3, Intact().SelectMany(c => Gen.Choose(0, Math.Max(0, c.Bytes.Length - 1)).Select(cut => c with { Kind = c.Kind + " truncated", Bytes = c.Bytes[..cut], Expected = null }))),
        (3, Intact().SelectMany(c => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, Math.Max(0, c.Bytes.Length - 1)), Gen.Choose(0, 255)), 3)
            .Select(edits => c with { Kind = c.Kind + " mutated", Bytes = Apply(c.Bytes, edits), Expected = null }))),
        (2, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).SelectMany(bytes => Gen.Elements(true, false)
            .Select(npy => new MatrixCase("random bytes", npy, bytes, null))))));

    private static Gen<MatrixCase> Intact() =>
        from rows in Gen.Choose(1, 6)
        from columns in Gen.Choose(1, 5)
        from values in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 8f), rows * columns)
        from npy in Gen.Elements(true, false)
        select npy ? Npy(new Matrix(values, rows, columns)) : Csv(new Matrix(values, rows, columns));

    private static MatrixCase Npy(Matrix m)
    {
        using var stream = new MemoryStream();
        NpyFile.Write(stream, m);
        return new MatrixCase("npy", true, stream.ToArray(), m);
    }

    private static MatrixCase Csv(Matrix m)
    {
        var text = new StringBuilder();
        for (var r = 0; r < m.Rows; r++)
        {
            text.AppendJoin(',', m.RowReadOnly(r).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return new MatrixCase("csv", false, Encoding.UTF8.GetBytes(text.ToString()), m);
    }

    private static byte[] Apply(byte[] bytes, (int At, int Value)[] edits)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var (at, value) in edits)
        {
            if (copy.Length > 0)
            {
                copy[at % copy.Length] = (byte)value;
            }
        }

        return copy;
    }
}

/// <summary>One generated matrix file and, when intact, the matrix it holds.</summary>
public sealed record MatrixCase(string Kind, bool Npy, byte[] Bytes, Matrix? Expected)
{
    public override string ToString() => $"{Kind} {(Npy ? "npy" : "csv")} ({Bytes.Length} bytes): {Convert.ToHexString(Bytes[..Math.Min(Bytes.Length, 96)])}";
}

/// <summary>
/// The matrix readers throw only the documented <see cref="InvalidDataException"/> on any input, and read intact
/// files exactly.
/// </summary>
public sealed class MatrixReaderPropertyTests
{
    [Property(Arbitrary = [typeof(MatrixArbitraries)], MaxTest = 500)]
    public void MatrixReadersThrowOnlyTheFormatErrorAndReadIntactFilesExactly(MatrixCase file)
    {
        Matrix? read = null;
        try
        {
            read = file.Npy
                ? NpyFile.Read(new MemoryStream(file.Bytes), "m.npy")
                : MatrixCsv.Read(new StringReader(Encoding.UTF8.GetString(file.Bytes)), "m.csv");
        }
        catch (InvalidDataException e)
        {
            Assert.Contains(file.Npy ? "m.npy" : "m.csv", e.Message, StringComparison.Ordinal);
            Assert.Null(file.Expected);
        }

        if (file.Expected is { } expected)
        {
            Assert.NotNull(read);
            Assert.Equal((expected.Rows, expected.Columns), (read.Rows, read.Columns));
            Assert.Equal(expected.Data, read.Data);
        }
    }
}
