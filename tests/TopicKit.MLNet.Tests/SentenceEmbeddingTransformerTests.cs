using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Embedding;

namespace TopicKit.MLNet.Tests;

/// <summary>The embedding column against the encoder's own output, save/load round trips and the error paths.</summary>
public sealed class SentenceEmbeddingTransformerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("topickit-mlnet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IReadOnlyList<ArxivPaper> Sample => ArxivCorpus.Papers.Take(600).ToList();

    public sealed class Embedded
    {
        public string Id { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];
    }

    public sealed class TextOnly
    {
        public string Text { get; set; } = string.Empty;
    }

    [Fact]
    public void The_column_holds_exactly_what_the_encoder_returns_in_row_order_across_batches()
    {
        var ml = new MLContext(seed: 1);
        var encoder = LexicalEncoder.Fit(Sample.Select(p => p.Text).ToList(), new LexicalEncoderOptions(Dimension: 64));
        var view = ml.Transforms.Text.EncodeSentences("Features", nameof(ArxivPaper.Text), encoder)
            .Fit(ml.Data.LoadFromEnumerable(Sample))
            .Transform(ml.Data.LoadFromEnumerable(Sample));

        var column = view.Schema["Features"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, encoder.Dimension), column.Type);
        var rows = ml.Data.CreateEnumerable<Embedded>(view, reuseRowObject: false).ToList();
        var expected = encoder.Encode(Sample.Select(p => p.Text).ToList());
        Assert.True(Sample.Count > 2 * SentenceEmbeddingTransformer.BatchSize);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(Sample[i].Id, rows[i].Id);
            Assert.Equal(expected.RowReadOnly(i).ToArray(), rows[i].Features);
            var norm = Math.Sqrt(rows[i].Features.Sum(v => (double)v * v));
            Assert.True(norm == 0 || Math.Abs(norm - 1) < 1e-5, $"row {i} has norm {norm}");
        }
    }

    [Fact]
    public void A_prediction_engine_encodes_one_row_like_the_batched_view()
    {
        var ml = new MLContext(seed: 1);
        var encoder = LexicalEncoder.Fit(Sample.Select(p => p.Text).ToList(), new LexicalEncoderOptions(Dimension: 32));
        var model = ml.Transforms.Text.EncodeSentences("Features", nameof(ArxivPaper.Text), encoder).Fit(ml.Data.LoadFromEnumerable(Sample));
        using var engine = ml.Model.CreatePredictionEngine<ArxivPaper, Embedded>(model);

        var single = engine.Predict(Sample[7]);

        Assert.Equal(encoder.Encode([Sample[7].Text]).Data, single.Features);
    }

    [Fact]
    public void A_saved_pipeline_loads_with_the_same_lexical_state_and_the_same_predictions()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sample);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ArxivPaper.Archive))
            .Append(ml.Transforms.Text.EncodeSentencesLexical("Features", nameof(ArxivPaper.Text), new LexicalEncoderOptions(Dimension: 48)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20))
            .Fit(data);
        var path = Path.Combine(_folder, "model.zip");

        SentenceEmbeddingModel.Save(ml, model, data.Schema, path);
        var loaded = SentenceEmbeddingModel.Load(new MLContext(seed: 2), path, out var schema);

        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var before = Flatten(model).OfType<SentenceEmbeddingTransformer>().Single();
        var after = Flatten(loaded).OfType<SentenceEmbeddingTransformer>().Single();
        Assert.Equal(before.Encoder.ModelId, after.Encoder.ModelId);
        Assert.Equal(("Features", "Text"), (after.OutputColumnName, after.InputColumnName));
        Assert.Equal(Scores(ml, model, data), Scores(ml, loaded, data));
    }

    [Fact]
    public void Loading_fails_when_the_saved_lexical_state_no_longer_matches_its_identity()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sample);
        var model = ml.Transforms.Text.EncodeSentencesLexical("Features", nameof(ArxivPaper.Text), new LexicalEncoderOptions(Dimension: 16)).Fit(data);
        var path = Path.Combine(_folder, "tampered.zip");
        SentenceEmbeddingModel.Save(ml, model, data.Schema, path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("TopicKit/SentenceEmbedding/0.bin")!;
            using var stream = entry.Open();
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            bytes[^3] ^= 0x40; // one bit of the last SVD component
            stream.Position = 0;
            stream.Write(bytes);
        }

        var error = Assert.Throws<InvalidDataException>(() => SentenceEmbeddingModel.Load(ml, path, out _));
        Assert.Contains("'Features' was fitted with encoder " + model.Encoder.ModelId, error.Message);
    }

    [Fact]
    public void A_model_saved_the_plain_way_fails_with_directions_when_loaded()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sample);
        var model = ml.Transforms.Text.EncodeSentencesLexical("Features", nameof(ArxivPaper.Text), new LexicalEncoderOptions(Dimension: 16)).Fit(data);
        var path = Path.Combine(_folder, "plain.zip");
        ml.Model.Save(model, data.Schema, path);

        var error = Assert.Throws<InvalidDataException>(() => SentenceEmbeddingModel.Load(ml, path, out _));
        Assert.Contains("saved with MLContext.Model.Save", error.Message);
    }

    [Fact]
    public void A_missing_or_non_text_column_is_named_in_the_error()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new { Text = "a b", Count = 3 } }.Select(r => new TextOnly { Text = r.Text }));
        var missing = Assert.Throws<ArgumentException>(() => ml.Transforms.Text.EncodeSentencesLexical("Features", "Abstract").Fit(data));
        Assert.Contains("no column 'Abstract'", missing.Message);

        var numbers = ml.Data.LoadFromEnumerable(new[] { new Embedded { Id = "x", Features = [1f] } });
        var wrongType = Assert.Throws<ArgumentException>(() => ml.Transforms.Text.EncodeSentencesLexical("Out", "Features").Fit(numbers));
        Assert.Contains("Column 'Features'", wrongType.Message);
    }

    private static float[][] Scores(MLContext ml, ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var column = scored.Schema["Score"];
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }

        return [.. result];
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];
}
