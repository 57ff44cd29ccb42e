using Microsoft.ML.OnnxRuntime;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Onnx;

/// <summary>Reads the embedding oracles and runs ONNX Runtime sessions directly for the Onnx tests.</summary>
internal static class OnnxTestData
{
    public static string TinyBert => SharedData.Path("models", "tiny-bert", "model.onnx");

    public static string UseLite => SharedData.Path("models", "use-lite", "model.onnx");

    public static string MiniLm => SharedData.Path("models", "minilm-l6-shape", "model.onnx");

    /// <summary>Session options for tests: one thread, no spinning worker threads on the shared 2-core machine.</summary>
    public static SessionOptions QuietOptions()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>Loads a model with <see cref="QuietOptions"/>.</summary>
    public static InferenceSession Load(string path)
    {
        using var options = QuietOptions();
        return new InferenceSession(path, options);
    }

    /// <summary>(id, ids) rows of an oracle file, from the integer array field <paramref name="field"/>.</summary>
    public static List<(string Id, long[] Ids)> ReadIds(string file, string field) =>
        [.. EmbeddingOracles.Rows(file).Select(r => (EmbeddingOracles.Id(r), r.GetProperty(field).EnumerateArray().Select(e => e.GetInt64()).ToArray()))];

    /// <summary>Right-pads rows to the longest (at least one column, so empty rows stay valid) with a 1/0 attention mask.</summary>
    public static (long[] Ids, long[] Mask, int Sequence) Pad(IReadOnlyList<long[]> rows)
    {
        var seq = Math.Max(1, rows.Max(r => r.Length));
        var ids = new long[rows.Count * seq];
        var mask = new long[rows.Count * seq];
        for (var b = 0; b < rows.Count; b++)
        {
            rows[b].CopyTo(ids, b * seq);
            mask.AsSpan(b * seq, rows[b].Length).Fill(1);
        }

        return (ids, mask, seq);
    }

    /// <summary>The padded inputs as ONNX Runtime values: input_ids, attention_mask and, when asked, zero token types.</summary>
    public static OrtValue[] Inputs(long[] ids, long[] mask, int rows, int seq, bool tokenTypes)
    {
        long[] shape = [rows, seq];
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, shape),
            OrtValue.CreateTensorValueFromMemory(mask, shape),
        };
        if (tokenTypes)
        {
            values.Add(OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape));
        }

        return [.. values];
    }

    /// <summary>Runs a BERT-style model on right-padded rows and returns mean-pooled, L2-normalised rows.</summary>
    public static float[][] BertEmbed(InferenceSession session, IReadOnlyList<long[]> rows)
    {
        var (ids, mask, seq) = Pad(rows);
        var inputs = Inputs(ids, mask, rows.Count, seq, tokenTypes: true);
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], inputs, ["last_hidden_state"]);
            var hidden = outputs[0];
            var shape = hidden.GetTensorTypeAndShape().Shape;
            Assert.Equal([rows.Count, seq, shape[2]], shape);
            return MeanPool(hidden.GetTensorDataAsSpan<float>(), mask, rows.Count, seq, (int)shape[2]);
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    /// <summary>Mean over positions with mask 1, then L2 normalisation, in double precision.</summary>
    public static float[][] MeanPool(ReadOnlySpan<float> hidden, long[] mask, int batch, int seq, int dim)
    {
        var output = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var sum = new double[dim];
            var count = 0;
            for (var t = 0; t < seq; t++)
            {
                if (mask[(b * seq) + t] == 0)
                {
                    continue;
                }

                count++;
                var row = hidden.Slice(((b * seq) + t) * dim, dim);
                for (var d = 0; d < dim; d++)
                {
                    sum[d] += row[d];
                }
            }

            var norm = Math.Sqrt(sum.Sum(v => (v / count) * (v / count)));
            output[b] = sum.Select(v => (float)(v / count / norm)).ToArray();
        }

        return output;
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}

/// <summary>Sessions shared by all Onnx test classes (loading minilm takes a moment).</summary>
public sealed class OnnxModelsFixture : IDisposable
{
    private readonly Lazy<InferenceSession> _tinyBert = new(() => OnnxTestData.Load(OnnxTestData.TinyBert));
    private readonly Lazy<InferenceSession> _useLite = new(() => OnnxTestData.Load(OnnxTestData.UseLite));
    private readonly Lazy<InferenceSession> _miniLm = new(() => OnnxTestData.Load(OnnxTestData.MiniLm));

    public InferenceSession TinyBert => _tinyBert.Value;

    public InferenceSession UseLite => _useLite.Value;

    public InferenceSession MiniLm => _miniLm.Value;

    public void Dispose()
    {
        foreach (var lazy in new[] { _tinyBert, _useLite, _miniLm })
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }
    }
}

/// <summary>Onnx tests run one class at a time: they share sessions and the machine's few cores.</summary>
[CollectionDefinition(Name)]
public sealed class OnnxCollection : ICollectionFixture<OnnxModelsFixture>
{
    public const string Name = "Onnx";
}
