using System.Xml.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TopicKit.Embedding;
using TopicKit.Onnx;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Onnx;

/// <summary>The runtime the build ships, model metadata as the encoder reads it, and the session options it builds.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxSessionTests(OnnxModelsFixture models)
{
    [Fact]
    public void LoadedRuntime_IsThePackagePinnedInDirectoryPackagesProps()
    {
        var props = XDocument.Load(Path.Combine(SharedData.RepoRoot, "Directory.Packages.props"));
        var pinned = props.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == "Microsoft.ML.OnnxRuntime");
        Assert.Equal((string?)pinned.Attribute("Version"), OnnxSessions.RuntimeVersion);
    }

    [Fact]
    public void TinyBert_InputsAndOutputMetadata()
    {
        var session = models.TinyBert;
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], session.InputNames.Order());
        foreach (var name in session.InputNames)
        {
            var input = session.InputMetadata[name];
            Assert.True(input.IsTensor);
            Assert.Equal(TensorElementType.Int64, input.ElementDataType);
            Assert.Equal([-1, -1], input.Dimensions);
            Assert.All(input.SymbolicDimensions, s => Assert.False(string.IsNullOrEmpty(s)));
            Assert.Equal($"Int64 [{input.SymbolicDimensions[0]}, {input.SymbolicDimensions[1]}]", OnnxSessions.Describe(input));
        }

        var output = session.OutputMetadata[Assert.Single(session.OutputNames)];
        Assert.Equal("last_hidden_state", session.OutputNames[0]);
        Assert.Equal(TensorElementType.Float, output.ElementDataType);
        Assert.Equal(3, output.Dimensions.Length);
        Assert.Equal(32, output.Dimensions[2]);
        Assert.StartsWith("Float [", OnnxSessions.Describe(output), StringComparison.Ordinal);
        Assert.EndsWith(", 32]", OnnxSessions.Describe(output), StringComparison.Ordinal);
    }

    [Fact]
    public void UseLite_ReportsInputsAndPooledOutput()
    {
        var session = models.UseLite;
        Assert.Equal(["input_ids", "attention_mask"], session.InputNames.Order().Reverse());
        Assert.All(session.InputNames, n => Assert.Equal(TensorElementType.Int64, session.InputMetadata[n].ElementDataType));
        var output = session.OutputMetadata[Assert.Single(session.OutputNames)];
        Assert.Equal("sentence_embedding", session.OutputNames[0]);
        Assert.Equal([-1, 512], output.Dimensions);
        Assert.EndsWith(", 512]", OnnxSessions.Describe(output), StringComparison.Ordinal);
    }

    [Fact]
    public void EncoderOptions_MapToTheSessionOptions()
    {
        var encoder = new SentenceEncoderOptions
        {
            Threads = 4,
            ConcurrentRuns = 2,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            MemPattern = false,
        };
        using var options = encoder.CreateSessionOptions();
        Assert.Equal(2, options.IntraOpNumThreads);
        Assert.Equal(1, options.InterOpNumThreads);
        Assert.Equal(ExecutionMode.ORT_SEQUENTIAL, options.ExecutionMode);
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_BASIC, options.GraphOptimizationLevel);
        Assert.False(options.EnableMemoryPattern);

        // One run using every thread when asked.
        using var single = (encoder with { ConcurrentRuns = 1 }).CreateSessionOptions();
        Assert.Equal(4, single.IntraOpNumThreads);
    }

    [Fact]
    public void Cuda_WithTheCpuOnlyPackage_SaysWhichPackageToReference()
    {
        var options = new SentenceEncoderOptions { ExecutionProvider = OnnxExecutionProvider.Cuda };
        Assert.Equal(1, options.EffectiveConcurrentRuns);
        var error = Assert.Throws<NotSupportedException>(() => OnnxSentenceEncoder.Load(SharedData.Path("models", "tiny-bert"), options));
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProviderOrLevel_IsRejectedBeforeLoading()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SentenceEncoderOptions { ExecutionProvider = (OnnxExecutionProvider)7 }.CreateSessionOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SentenceEncoderOptions { GraphOptimizationLevel = (GraphOptimizationLevel)5 }.CreateSessionOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SentenceEncoderOptions { DeviceId = -1 }.CreateSessionOptions());
    }
}
