using TopicKit.Onnx;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Onnx;

/// <summary>Reads the embedding oracles and builds model inputs for the Onnx tests.</summary>
internal static class OnnxTestData
{
    public static string TinyBert => SharedData.Path("models", "tiny-bert", "model.onnx");

    public static string UseLite => SharedData.Path("models", "use-lite", "model.onnx");

    public static string MiniLm => SharedData.Path("models", "minilm-l6-shape", "model.onnx");

    /// <summary>Session options for tests: no spinning worker threads on the shared 2-core machine.</summary>
    public static OnnxSessionOptions QuietOptions { get; } = new()
    {
        ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0" },
    };

    /// <summary>(id, ids) rows of an oracle file, from the integer array field <paramref name="field"/>.</summary>
    public static List<(string Id, long[] Ids)> ReadIds(string file, string field) =>
        [.. EmbeddingOracles.Rows(file).Select(r => (EmbeddingOracles.Id(r), r.GetProperty(field).EnumerateArray().Select(e => e.GetInt64()).ToArray()))];

    /// <summary>Runs a BERT-style model on right-padded rows and returns mean-pooled, L2-normalised rows.</summary>
    public static float[][] BertEmbed(OnnxSession session, IReadOnlyList<long[]> rows)
    {
        using var batch = OnnxTokenBatch.Create(session, rows);
        using var result = session.Run(batch.Inputs);
        var hidden = result["last_hidden_state"];
        Assert.Equal([rows.Count, batch.SequenceLength, hidden.Shape[2]], hidden.Shape);
        return MeanPool(hidden.GetData<float>(), batch.Mask, rows.Count, batch.SequenceLength, (int)hidden.Shape[2]);
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
    private readonly Lazy<OnnxSession> _tinyBert = new(() => OnnxSession.Load(OnnxTestData.TinyBert, OnnxTestData.QuietOptions));
    private readonly Lazy<OnnxSession> _useLite = new(() => OnnxSession.Load(OnnxTestData.UseLite, OnnxTestData.QuietOptions));
    private readonly Lazy<OnnxSession> _miniLm = new(() => OnnxSession.Load(OnnxTestData.MiniLm, OnnxTestData.QuietOptions));

    public OnnxSession TinyBert => _tinyBert.Value;

    public OnnxSession UseLite => _useLite.Value;

    public OnnxSession MiniLm => _miniLm.Value;

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
