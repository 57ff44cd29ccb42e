using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using TopicKit.Embedding;

namespace TopicKit.MLNet;

/// <summary>
/// Saves and loads ML.NET models (model zip files) that contain <see cref="SentenceEmbeddingTransformer"/> steps.
/// </summary>
/// <remarks>
/// ML.NET saves the rest of the pipeline as usual; each embedding step leaves a custom-mapping placeholder, and its
/// encoder is written to the same zip under <c>TopicKit/SentenceEmbedding/N.bin</c>: a lexical encoder in full
/// (vocabulary, idf, SVD projection), an ONNX encoder as its model folder and prefix. Loading puts the real steps
/// back and checks each encoder's <see cref="ISentenceEncoder.ModelId"/> against the one saved, so a changed ONNX file
/// or a corrupted lexical state fails instead of producing different vectors.
/// </remarks>
public static class SentenceEmbeddingModel
{
    /// <summary>The custom-mapping contract name of the placeholder in saved models.</summary>
    public const string ContractName = "TopicKit.SentenceEmbedding";

    private const string EntryPrefix = "TopicKit/SentenceEmbedding/";
    private const string Magic = "TKMLEMB1";

    /// <summary>Saves <paramref name="model"/> to a model zip at <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">When an embedding step's encoder is neither lexical nor ONNX.</exception>
    public static void Save(MLContext context, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        var steps = Flatten(model).OfType<SentenceEmbeddingTransformer>().ToList();
        var states = steps.Select(Serialize).ToList();
        context.Model.Save(model, inputSchema, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        for (var i = 0; i < states.Count; i++)
        {
            using var entry = zip.CreateEntry($"{EntryPrefix}{i}.bin").Open();
            entry.Write(states[i]);
        }
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">When the zip's encoders are missing, corrupt, or no longer match their saved identity.</exception>
    public static ITransformer Load(MLContext context, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ComponentCatalog.RegisterAssembly(typeof(SentenceEmbeddingModel).Assembly);
        var states = new List<byte[]>();
        using (var zip = ZipFile.OpenRead(path))
        {
            for (var i = 0; zip.GetEntry($"{EntryPrefix}{i}.bin") is { } entry; i++)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                states.Add(buffer.ToArray());
            }
        }

        var model = context.Model.Load(path, out inputSchema);
        var next = 0;
        var restored = Restore(context, model, states, ref next, path);
        if (next != states.Count)
        {
            throw new InvalidDataException($"{path}: the zip holds {states.Count} TopicKit encoders but the pipeline has {next} embedding steps; save it again with SentenceEmbeddingModel.Save.");
        }

        return restored;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var step in chain)
            {
                foreach (var inner in Flatten(step))
                {
                    yield return inner;
                }
            }
        }
        else
        {
            yield return model;
        }
    }

    private static ITransformer Restore(MLContext context, ITransformer model, List<byte[]> states, ref int next, string path)
    {
        if (model is CustomMappingTransformer<SentenceEmbeddingText, SentenceEmbeddingVector>)
        {
            if (next >= states.Count)
            {
                throw new InvalidDataException($"{path}: an embedding step has no saved encoder (entry {EntryPrefix}{next}.bin); the model was saved with MLContext.Model.Save instead of SentenceEmbeddingModel.Save.");
            }

            return Deserialize(context, states[next++], path);
        }

        if (model is IEnumerable<ITransformer> chain)
        {
            var steps = new List<ITransformer>();
            foreach (var step in chain)
            {
                steps.Add(Restore(context, step, states, ref next, path));
            }

            return new TransformerChain<ITransformer>([.. steps]);
        }

        return model;
    }

    private static byte[] Serialize(SentenceEmbeddingTransformer step)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(step.InputColumnName);
            writer.Write(step.OutputColumnName);
            writer.Write(step.Encoder.ModelId);
            switch (step.Encoder)
            {
                case LexicalEncoder lexical:
                    writer.Write("lexical");
                    writer.Flush();
                    lexical.Save(buffer);
                    break;
                case OnnxSentenceEncoder onnx:
                    writer.Write("onnx");
                    writer.Write(Path.GetFullPath(onnx.Config.Folder));
                    writer.Write(onnx.Options.Prefix ?? string.Empty);
                    writer.Write(onnx.Options.Prefix is not null);
                    break;
                default:
                    throw new NotSupportedException(
                        $"The embedding step '{step.OutputColumnName}' uses {step.Encoder.GetType().Name}, which cannot be saved; only LexicalEncoder and OnnxSentenceEncoder steps can.");
            }
        }

        return buffer.ToArray();
    }

    private static SentenceEmbeddingTransformer Deserialize(MLContext context, byte[] state, string path)
    {
        using var buffer = new MemoryStream(state);
        using var reader = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"{path}: a TopicKit encoder entry has an unknown format; save the model again with this version.");
            }

            var input = reader.ReadString();
            var output = reader.ReadString();
            var modelId = reader.ReadString();
            ISentenceEncoder encoder = reader.ReadString() switch
            {
                "lexical" => LexicalEncoder.Load(buffer),
                "onnx" => LoadOnnx(reader),
                var kind => throw new InvalidDataException($"{path}: unknown TopicKit encoder kind '{kind}'."),
            };
            if (encoder.ModelId != modelId)
            {
                throw new InvalidDataException(
                    $"{path}: the embedding step '{output}' was fitted with encoder {modelId} but the encoder now loads as {encoder.ModelId}; restore the original model files or refit the pipeline.");
            }

            return new SentenceEmbeddingTransformer(context, encoder, output, input);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: a TopicKit encoder entry is truncated; save the model again.", e);
        }
    }

    private static OnnxSentenceEncoder LoadOnnx(BinaryReader reader)
    {
        var folder = reader.ReadString();
        var prefix = reader.ReadString();
        var hasPrefix = reader.ReadBoolean();
        return OnnxSentenceEncoder.Load(folder, new SentenceEncoderOptions { Prefix = hasPrefix ? prefix : null });
    }
}
