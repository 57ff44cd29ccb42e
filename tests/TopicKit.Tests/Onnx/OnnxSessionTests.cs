using TopicKit.Onnx;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Onnx;

/// <summary>Loading, metadata, options and bound outputs of <see cref="OnnxSession"/>.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxSessionTests(OnnxModelsFixture models)
{
    [Fact]
    public void Runtime_IsTheFetchedVersion()
    {
        Assert.Equal(OnnxRuntime.ExpectedVersion, OnnxRuntime.Version);
        Assert.EndsWith(OnnxLibraryFileName(), OnnxRuntime.LibrarySource, StringComparison.Ordinal);
    }

    [Fact]
    public void TinyBert_FromPath_ReportsInputsAndOutputs()
    {
        AssertTinyBertMetadata(models.TinyBert);
    }

    [Fact]
    public void TinyBert_FromBytes_SameMetadataAndOutputs()
    {
        using var fromBytes = OnnxSession.Load(File.ReadAllBytes(OnnxTestData.TinyBert), OnnxTestData.QuietOptions);
        AssertTinyBertMetadata(fromBytes);
        Assert.Equal("(bytes)", fromBytes.Source);

        long[][] rows = [[101, 7592, 2088, 102], [101, 2023, 102]];
        var expected = OnnxTestData.BertEmbed(models.TinyBert, rows);
        var actual = OnnxTestData.BertEmbed(fromBytes, rows);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void UseLite_ReportsInputsAndOutput()
    {
        var session = models.UseLite;
        Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(i => i.Name).Order().Reverse());
        Assert.All(session.Inputs, i => Assert.Equal(OnnxElementType.Int64, i.ElementType));
        var output = Assert.Single(session.Outputs);
        Assert.Equal("sentence_embedding", output.Name);
        Assert.Equal(OnnxElementType.Float, output.ElementType);
        Assert.Equal([-1L, 512L], output.Shape);
    }

    [Fact]
    public void NonDefaultOptions_GiveTheSameEmbeddings()
    {
        var options = new OnnxSessionOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            GraphOptimizationLevel = OnnxGraphOptimizationLevel.Basic,
            EnableMemoryArena = false,
            EnableMemPattern = false,
            ExecutionMode = OnnxExecutionMode.Parallel,
            ConfigEntries = new Dictionary<string, string> { ["session.inter_op.allow_spinning"] = "0" },
        };
        using var session = OnnxSession.Load(OnnxTestData.TinyBert, options);
        Assert.Same(options, session.Options);
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids").Take(6).ToArray();
        var expected = EmbeddingOracles.Embeddings("tiny-bert-embeddings.jsonl");
        var actual = OnnxTestData.BertEmbed(session, rows.Select(r => r.Ids).ToArray());
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.True(OnnxTestData.Cosine(actual[i], expected[rows[i].Id]) >= 0.9999, rows[i].Id);
        }
    }

    [Fact]
    public void NegativeThreadCount_IsRejectedBeforeLoading()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => OnnxSession.Load(OnnxTestData.TinyBert, new OnnxSessionOptions { IntraOpThreads = -1 }));
    }

    [Fact]
    public void RunInto_WritesIntoCallerBuffer_SameAsRun()
    {
        long[] ids = [101, 7592, 1010, 2088, 999, 102];
        var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        var types = new long[ids.Length];
        using var idsTensor = OnnxTensor.FromArray(ids, 1, ids.Length);
        using var maskTensor = OnnxTensor.FromArray(mask, 1, ids.Length);
        using var typesTensor = OnnxTensor.FromArray(types, 1, ids.Length);
        OnnxNamedTensor[] inputs = [new("input_ids", idsTensor), new("attention_mask", maskTensor), new("token_type_ids", typesTensor)];

        using var result = models.TinyBert.Run(inputs);
        var expected = result[0].ToArray<float>();

        var buffer = new float[ids.Length * 32];
        buffer.AsSpan().Fill(float.NaN);
        using var output = OnnxTensor.FromArray(buffer, 1, ids.Length, 32);
        models.TinyBert.RunInto(inputs, [new("last_hidden_state", output)]);
        Assert.Equal(expected, buffer);

        // Reusing the same bound output for another run overwrites it in place.
        buffer.AsSpan().Clear();
        models.TinyBert.RunInto(inputs, [new("last_hidden_state", output)]);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void RunInto_WrongOutputShape_ReportsOrtError()
    {
        long[] ids = [101, 7592, 102];
        long[] mask = [1, 1, 1];
        var types = new long[3];
        using var idsTensor = OnnxTensor.FromArray(ids, 1, 3);
        using var maskTensor = OnnxTensor.FromArray(mask, 1, 3);
        using var typesTensor = OnnxTensor.FromArray(types, 1, 3);
        using var output = OnnxTensor.FromArray(new float[4 * 32], 1, 4, 32);
        var logged = new System.Collections.Concurrent.ConcurrentQueue<(OnnxLogLevel Level, string Message)>();
        OnnxRuntime.LogHandler = (level, message) => logged.Enqueue((level, message));
        try
        {
            var error = Assert.Throws<OnnxRuntimeException>(() => models.TinyBert.RunInto(
                [new("input_ids", idsTensor), new("attention_mask", maskTensor), new("token_type_ids", typesTensor)],
                [new("last_hidden_state", output)]));
            Assert.Equal(OnnxErrorCode.InvalidArgument, error.ErrorCode);
            Assert.Contains("{1,4,32}", error.RuntimeMessage, StringComparison.Ordinal);
            Assert.Contains(error.RuntimeMessage, error.Message, StringComparison.Ordinal);

            // ORT's own log line for the failure reaches the handler instead of stderr.
            Assert.Contains(logged, l => l.Level == OnnxLogLevel.Error && l.Message.Contains("{1,3,32}", StringComparison.Ordinal));
        }
        finally
        {
            OnnxRuntime.LogHandler = null;
        }
    }

    [Fact]
    public void Run_SelectedOutputByName()
    {
        long[] ids = [101, 102];
        using var idsTensor = OnnxTensor.FromArray(ids, 1, 2);
        using var maskTensor = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        using var typesTensor = OnnxTensor.FromArray(new long[2], 1, 2);
        using var result = models.TinyBert.Run(
            [new("input_ids", idsTensor), new("attention_mask", maskTensor), new("token_type_ids", typesTensor)],
            ["last_hidden_state"]);
        Assert.Equal(["last_hidden_state"], result.Names);
        Assert.Equal([1L, 2L, 32L], result["last_hidden_state"].Shape);
        Assert.Equal(64, result[0].ElementCount);
        Assert.All(result[0].ToArray<float>(), v => Assert.True(float.IsFinite(v)));
    }

    private static void AssertTinyBertMetadata(OnnxSession session)
    {
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], session.Inputs.Select(i => i.Name).Order());
        foreach (var input in session.Inputs)
        {
            Assert.Equal(OnnxElementType.Int64, input.ElementType);
            Assert.Equal([-1L, -1L], input.Shape);
            Assert.All(input.SymbolicDimensions, s => Assert.False(string.IsNullOrEmpty(s)));
        }

        var output = Assert.Single(session.Outputs);
        Assert.Equal("last_hidden_state", output.Name);
        Assert.Equal(OnnxElementType.Float, output.ElementType);
        Assert.Equal(3, output.Rank);
        Assert.Equal(32L, output.Shape[2]);
        Assert.Equal([-1L, -1L], output.Shape.Take(2));
        Assert.EndsWith(", 32]", output.FormatShape(), StringComparison.Ordinal);
    }

    private static string OnnxLibraryFileName() =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
}
