using TopicKit.Onnx;

namespace TopicKit.Tests.Onnx;

/// <summary>Bad models, bad inputs and a missing native library give clear errors.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxErrorTests(OnnxModelsFixture models)
{
    [Fact]
    public void GarbageBytes_ThrowOrtErrorWithItsMessage()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(garbage));
        Assert.NotEqual(OnnxErrorCode.Ok, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.RuntimeMessage));
        Assert.Contains(error.RuntimeMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageFile_ThrowsOrtError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topickit-garbage-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf");
        try
        {
            var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path));
            Assert.False(string.IsNullOrWhiteSpace(error.RuntimeMessage));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingModelFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-topickit-model.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => OnnxSession.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyModelBytes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => OnnxSession.Load(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void StatusFromCreateStatus_BecomesExceptionWithCodeAndMessage()
    {
        var api = OrtApi.Instance;
        IntPtr status;
        unsafe
        {
            fixed (byte* message = "boom: invalid thing"u8)
            {
                status = api.CreateStatus((int)OnnxErrorCode.InvalidArgument, message);
            }
        }

        var error = api.TakeException(status);
        Assert.Equal(OnnxErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Equal("boom: invalid thing", error.RuntimeMessage);
    }

    [Fact]
    public void WrongInputName_ListsTheModelInputs()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        using var mask = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        var error = Assert.Throws<ArgumentException>(
            () => models.TinyBert.Run([new("input_ids", ids), new("attention_mask", mask), new("segment_ids", mask)]));
        Assert.Contains("'segment_ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("token_type_ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInput_IsNamed()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        using var mask = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        var error = Assert.Throws<ArgumentException>(() => models.TinyBert.Run([new("input_ids", ids), new("attention_mask", mask)]));
        Assert.Contains("Missing model input(s): token_type_ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateInput_IsRejected()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        var error = Assert.Throws<ArgumentException>(() => models.TinyBert.Run([new("input_ids", ids), new("input_ids", ids)]));
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongElementType_IsExplained()
    {
        using var ids = OnnxTensor.FromArray(new int[] { 101, 102 }, 1, 2);
        using var mask = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        using var types = OnnxTensor.FromArray(new long[2], 1, 2);
        var error = Assert.Throws<ArgumentException>(
            () => models.TinyBert.Run([new("input_ids", ids), new("attention_mask", mask), new("token_type_ids", types)]));
        Assert.Contains("'input_ids' expects Int64 elements but the tensor holds Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongRank_IsExplained()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 2);
        using var mask = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        using var types = OnnxTensor.FromArray(new long[2], 1, 2);
        var error = Assert.Throws<ArgumentException>(
            () => models.TinyBert.Run([new("input_ids", ids), new("attention_mask", mask), new("token_type_ids", types)]));
        Assert.Contains("'input_ids' expects rank 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("rank 1 [2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongFixedDimension_IsExplained()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        using var mask = OnnxTensor.FromArray(new long[] { 1, 1 }, 1, 2);
        using var types = OnnxTensor.FromArray(new long[2], 1, 2);
        using var output = OnnxTensor.FromArray(new float[2 * 16], 1, 2, 16);
        var error = Assert.Throws<ArgumentException>(() => models.TinyBert.RunInto(
            [new("input_ids", ids), new("attention_mask", mask), new("token_type_ids", types)],
            [new("last_hidden_state", output)]));
        Assert.Contains("dimension 2 must be 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOutputName_IsRejected()
    {
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        var error = Assert.Throws<ArgumentException>(() => models.TinyBert.Run([new("input_ids", ids)], ["pooler_output"]));
        Assert.Contains("last_hidden_state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedSession_Throws()
    {
        var session = OnnxSession.Load(OnnxTestData.TinyBert, OnnxTestData.QuietOptions);
        session.Dispose();
        using var ids = OnnxTensor.FromArray(new long[] { 101, 102 }, 1, 2);
        Assert.Throws<ObjectDisposedException>(() => session.Run([new("input_ids", ids)]));
    }
}
