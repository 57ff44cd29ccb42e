using TopicKit.Numerics;

namespace TopicKit.Tests.Numerics;

/// <summary>Matrix inputs and the randomized SVD under the hostile cases of issue 9.</summary>
public sealed class HostileMatrixTests
{
    private static Matrix Parse(string text) => MatrixCsv.Read(new StringReader(text), "mem.csv");

    [Theory]
    [InlineData("1.0,2.O\n3,4\n", 1, 2, "2.O")]
    [InlineData("1.O\n2\n3\n", 1, 1, "1.O")]
    [InlineData("\n\n7,x1\n1,2\n", 3, 2, "x1")]
    public void AFirstRowWithATypoIsAnErrorNotAHeader(string text, int line, int column, string field)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(text));

        Assert.Contains($"line {line}, column {column}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("label\n1\n0\n", 2, 1)]
    [InlineData("x,y\n1,2\n", 1, 2)]
    [InlineData("\"dim_0\",\"dim_1\"\n1,2\n3,4\n", 2, 2)]
    public void AHeaderOfNamesIsStillSkipped(string text, int rows, int columns)
    {
        var matrix = Parse(text);
        Assert.Equal((rows, columns), (matrix.Rows, matrix.Columns));
    }

    [Fact]
    public void ARowOfNanAndInfIsDataNotAHeader()
    {
        var matrix = Parse("nan,inf\n1,2\n");
        Assert.Equal(2, matrix.Rows);
        Assert.True(float.IsNaN(matrix[0, 0]));
    }

    [Fact]
    public void TheSvdObservesCancellationInsideItsProducts()
    {
        // Wide enough that the products run in parallel, and with no power iteration: before the fix the only
        // cancellation check sat between power iterations, so this ran to the end.
        var x = RandomSparse(rows: 3000, columns: 800, perRow: 30, seed: 5);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            RandomizedSvd.Compute(x, components: 100, seed: 1, powerIterations: 0, cancellationToken: cancelled.Token));

        // And the same call without cancellation still succeeds.
        var (_, singular, rank) = RandomizedSvd.Compute(x, components: 100, seed: 1, powerIterations: 0);
        Assert.Equal(100, rank);
        Assert.True(singular[0] >= singular[^1]);
    }

    private static SparseMatrix RandomSparse(int rows, int columns, int perRow, ulong seed)
    {
        var random = new SeededRandom(seed);
        var offsets = new int[rows + 1];
        var indices = new int[rows * perRow];
        var values = new float[rows * perRow];
        for (var r = 0; r < rows; r++)
        {
            var used = new SortedSet<int>();
            while (used.Count < perRow)
            {
                used.Add((int)(random.NextDouble() * columns));
            }

            var k = r * perRow;
            foreach (var c in used)
            {
                indices[k] = c;
                values[k] = (float)(random.NextDouble() + 0.1);
                k++;
            }

            offsets[r + 1] = k;
        }

        return new SparseMatrix(offsets, indices, values, columns);
    }
}
