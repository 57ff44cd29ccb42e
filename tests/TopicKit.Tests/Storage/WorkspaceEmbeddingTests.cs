using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;
using TopicKit.Storage;

namespace TopicKit.Tests.Storage;


public class WorkspaceEmbeddingTests
{
    [Fact]
    public void TextHashIsSha256OfUtf8()
    {
        // FIPS 180-2 test vector for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", EmbeddingStore.ComputeTextHash("abc"));
        // "é" is two UTF-8 bytes C3 A9, whose SHA-256 differs from that of the Latin-1 byte E9.
        Assert.NotEqual(EmbeddingStore.ComputeTextHash("\u00e9"), EmbeddingStore.ComputeTextHash("e\u0301"));
    }

    [Fact]
    public void VectorsRoundTripBitExactInRequestedOrder()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        const int rows = 40, dimension = 33;
        var random = new Random(1234);
        var data = new float[rows * dimension];
        for (var i = 0; i < data.Length; i++)
        {
            float value;
            do
            {
                value = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            }
            while (!float.IsFinite(value));
            data[i] = value;
        }

        float[] specials = [-0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f];
        specials.CopyTo(data, 0);
        var hashes = Enumerable.Range(0, rows).Select(i => EmbeddingStore.ComputeTextHash("text " + i)).ToArray();

        workspace.Embeddings.Put("model-a", hashes, new Matrix(data, rows, dimension));
        var order = new[] { 7, 0, 39, 7, 12 };
        var fetched = workspace.Embeddings.Get("model-a", [.. order.Select(i => hashes[i])]);

        Assert.Equal((order.Length, dimension), (fetched.Rows, fetched.Columns));
        for (var r = 0; r < order.Length; r++)
        {
            for (var c = 0; c < dimension; c++)
            {
                Assert.Equal(
                    BitConverter.SingleToInt32Bits(data[(order[r] * dimension) + c]),
                    BitConverter.SingleToInt32Bits(fetched[r, c]));
            }
        }

        Assert.Equal(dimension, workspace.Embeddings.GetDimension("model-a"));
    }

    [Fact]
    public void FindMissingNeverMixesModels()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        workspace.Embeddings.Put("model-a", ["h1", "h2"], new Matrix([1f, 2f, 3f, 4f], 2, 2));

        Assert.Equal(["h3"], workspace.Embeddings.FindMissing("model-a", ["h1", "h3", "h2", "h3"]));
        Assert.Equal(["h1", "h2"], workspace.Embeddings.FindMissing("model-b", ["h1", "h2", "h1"]));
        Assert.Throws<KeyNotFoundException>(() => workspace.Embeddings.Get("model-b", ["h1"]));
        var missing = Assert.Throws<KeyNotFoundException>(() => workspace.Embeddings.Get("model-a", ["h1", "h9"]));
        Assert.Contains("h9", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADifferentDimensionForAModelIsRefusedAndChangesNothing()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        workspace.Embeddings.Put("m", ["h1"], new Matrix([1f, 2f], 1, 2));
        var before = WorkspaceTestKit.Snapshot(workspace.Directory);

        Assert.Throws<ArgumentException>(() => workspace.Embeddings.Put("m", ["h2"], new Matrix([1f, 2f, 3f], 1, 3)));
        Assert.Throws<InvalidDataException>(() => workspace.Embeddings.Put("m", ["h2", "h3"], new Matrix([1f, 2f, float.NaN, 0f], 2, 2)));
        Assert.Throws<ArgumentException>(() => workspace.Embeddings.Put("m", ["h2", "h3"], new Matrix([1f, 2f], 1, 2)));

        Assert.Equal(before, WorkspaceTestKit.Snapshot(workspace.Directory));
    }

    [Fact]
    public void PutReplacesAndDeleteRemovesOnlyThatModel()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        workspace.Embeddings.Put("a", ["h1", "h2"], new Matrix([1f, 2f, 3f, 4f], 2, 2));
        workspace.Embeddings.Put("b", ["h1"], new Matrix([9f, 9f, 9f], 1, 3));
        workspace.Embeddings.Put("a", ["h2"], new Matrix([5f, 6f], 1, 2));

        Assert.Equal([1f, 2f, 5f, 6f], workspace.Embeddings.Get("a", ["h1", "h2"]).Data);
        Assert.Equal([new EmbeddingModelInfo("a", 2, 2), new EmbeddingModelInfo("b", 3, 1)], workspace.Embeddings.ListModels());

        Assert.Equal(2, workspace.Embeddings.Delete("a"));
        Assert.Null(workspace.Embeddings.GetDimension("a"));
        Assert.Equal([9f, 9f, 9f], workspace.Embeddings.Get("b", ["h1"]).Data);
        Assert.Equal(0, workspace.Embeddings.Get("a", []).Rows);
    }
}

public class WorkspaceEmbeddingQueryPlanTests
{
    [Theory]
    [InlineData(EmbeddingStore.GetSql)]
    [InlineData(EmbeddingStore.FindMissingSql)]
    public void BatchLookupsProbeTheModelAndHashIndexPerRequestedHash(string sql)
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        using var command = workspace.Connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$hashes", "[\"a\",\"b\"]");
        command.Parameters.AddWithValue("$model", "m");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        // A plan that searches by model_id alone would scan the requested hashes once per stored vector (quadratic).
        Assert.StartsWith("SCAN j", plan[0], StringComparison.Ordinal);
        Assert.Contains(plan, step => step.Contains("USING", StringComparison.Ordinal) && step.Contains("model_id=? AND text_hash=?", StringComparison.Ordinal));
    }
}
