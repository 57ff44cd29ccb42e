using Microsoft.ML.OnnxRuntime;
using TopicKit.Onnx;

namespace TopicKit.Tests.Onnx;

/// <summary>Model files ONNX Runtime cannot load give one-line errors naming the file, ONNX Runtime's reason and the fix.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("topickit-onnx-errors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> CorruptModels => new() { "random-bytes", "text", "empty", "truncated" };

    [Theory]
    [MemberData(nameof(CorruptModels))]
    public void CorruptModelFile_NamesTheFileAndOrtsReason(string kind)
    {
        var path = Path.Combine(_folder, kind + ".onnx");
        var valid = File.ReadAllBytes(OnnxTestData.TinyBert);
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, kind switch
        {
            "random-bytes" => garbage,
            "text" => "this is not a protobuf"u8.ToArray(),
            "empty" => [],
            _ => valid[..(valid.Length / 2)],
        });

        using var options = OnnxTestData.QuietOptions();
        var error = Assert.Throws<InvalidDataException>(() => OnnxSessions.Load(path, options));
        var ort = Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.StartsWith(path + ": ONNX Runtime ", error.Message, StringComparison.Ordinal);
        Assert.Contains(ort.Message.Trim().Split('\n')[0].Trim(), error.Message, StringComparison.Ordinal);
        Assert.Contains("topickit models pull NAME --force", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MissingModelFile_NamesThePath()
    {
        var path = Path.Combine(_folder, "no-such-model.onnx");
        using var options = OnnxTestData.QuietOptions();
        var error = Assert.Throws<FileNotFoundException>(() => OnnxSessions.Load(path, options));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void ValidModel_LoadsWithTheGivenOptions()
    {
        using var options = OnnxTestData.QuietOptions();
        using var session = OnnxSessions.Load(OnnxTestData.TinyBert, options);
        Assert.Equal(["last_hidden_state"], session.OutputNames);
    }
}
