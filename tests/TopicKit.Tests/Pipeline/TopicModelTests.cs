using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;
using TopicKit.Topics;
using Xunit.Abstractions;

namespace TopicKit.Tests.Pipeline;

/// <summary>The default <see cref="TopicModel"/> on the arXiv sample: consistent fit/transform, and save/load that answers the same.</summary>
public sealed class TopicModelTests(TopicModelFixture fixture, ITestOutputHelper output) : IClassFixture<TopicModelFixture>
{
    private FittedTopicModel Model => fixture.Model;

    [Fact]
    public void FitGivesEveryDocumentATopicPositionAndScoresAndNumbersTopicsBySize()
    {
        var n = fixture.Texts.Length;
        Assert.Equal(n, Model.DocumentCount);
        Assert.Equal(n, Model.Probabilities.Count);
        Assert.Equal(n, Model.OutlierScores.Count);
        var map = Assert.IsType<Matrix>(Model.Map);
        Assert.Equal((n, 2), (map.Rows, map.Columns));
        Assert.All(map.Data, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(5, Model.Reducer!.Embedding.Columns);

        var sizes = Model.DocumentTopics.Where(t => t >= 0).GroupBy(t => t).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.True(sizes.Length >= 2, $"{sizes.Length} topics");
        Assert.Equal(sizes.OrderByDescending(s => s), sizes);
        Assert.Equal(Enumerable.Range(0, sizes.Length), Model.DocumentTopics.Where(t => t >= 0).Distinct().Order());
        foreach (var topic in Model.Topics.Where(t => t.Id >= 0))
        {
            Assert.Equal(sizes[topic.Id], topic.Size);
            Assert.NotEmpty(topic.Keywords);
        }

        // The clusterer's labels and the topic numbering agree document by document.
        for (var i = 0; i < n; i++)
        {
            var label = Model.Clusterer.Assignment.Labels[i];
            Assert.Equal(label < 0 ? -1 : Model.TopicOfCluster[label], Model.DocumentTopics[i]);
        }
    }

    [Fact]
    public void TransformingTheTrainingTextsReproducesTheirTopics()
    {
        var predicted = Model.Transform(fixture.Texts);
        var clustered = Enumerable.Range(0, fixture.Texts.Length).Where(i => Model.DocumentTopics[i] >= 0).ToArray();
        var agree = clustered.Count(i => predicted.Topics[i] == Model.DocumentTopics[i]);
        var share = (double)agree / clustered.Length;
        output.WriteLine($"training texts: {agree} of {clustered.Length} non-outliers keep their topic ({share:P1})");
        Assert.True(share >= 0.95, $"{share:P1}");
        Assert.All(predicted.NearestSimilarity, s => Assert.True(s > 0.999f, $"nearest similarity {s}"));
    }

    [Fact]
    public void PerturbedCopiesGetTheirOriginalsTopic()
    {
        var clustered = Enumerable.Range(0, fixture.Texts.Length).Where(i => Model.DocumentTopics[i] >= 0).Where(i => i % 4 == 0).ToArray();
        foreach (var kind in Perturbations.Kinds)
        {
            var copies = clustered.Select(i => Perturbations.Apply(fixture.Texts[i], kind, i)).ToArray();
            var predicted = Model.Transform(copies);
            var agree = clustered.Select((doc, j) => predicted.Topics[j] == Model.DocumentTopics[doc]).Count(x => x);
            var share = (double)agree / clustered.Length;
            output.WriteLine($"{kind}: {agree} of {clustered.Length} ({share:P1})");
            Assert.True(share >= 0.85, $"{kind}: {share:P1}");
        }
    }

    [Fact]
    public void NeighborVoteAgreesAtLeastAsOftenAsReduceAndPredict()
    {
        // The measurement behind the default method (README: Library / Transform); BERTopic's way is UMAP transform + approximate predict.
        var clustered = Enumerable.Range(0, fixture.Texts.Length).Where(i => Model.DocumentTopics[i] >= 0).Where(i => i % 8 == 0).ToArray();
        var byReducer = Model.WithTransformOptions(Model.TransformOptions with { Method = TopicAssignmentMethod.ReduceAndPredict });
        foreach (var kind in new PerturbationKind?[] { null }.Concat(Perturbations.Kinds.Select(k => (PerturbationKind?)k)))
        {
            var texts = clustered.Select(i => kind is { } k ? Perturbations.Apply(fixture.Texts[i], k, i) : fixture.Texts[i]).ToArray();
            var vote = Model.Transform(texts).Topics;
            var reduce = byReducer.Transform(texts).Topics;
            var voteShare = clustered.Where((doc, j) => vote[j] == Model.DocumentTopics[doc]).Count() / (double)clustered.Length;
            var reduceShare = clustered.Where((doc, j) => reduce[j] == Model.DocumentTopics[doc]).Count() / (double)clustered.Length;
            output.WriteLine($"{kind?.ToString() ?? "training"}: neighbour vote {voteShare:P1}, reduce+predict {reduceShare:P1}");
            Assert.True(voteShare >= reduceShare, $"{kind}: vote {voteShare:P1} < reduce+predict {reduceShare:P1}");
        }
    }

    [Fact]
    public void SavedAndLoadedModelGivesTheSameAnswers()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("model");
        Model.Save(path);
        var loaded = TopicModel.Load(path);

        Assert.Equal(Model.Encoder!.ModelId, loaded.Encoder!.ModelId);
        Assert.Equal(Model.DocumentTopics, loaded.DocumentTopics);
        Assert.Equal(Model.Probabilities, loaded.Probabilities);
        Assert.Equal(Model.Map!.Data, loaded.Map!.Data);
        Assert.Equal(Model.Topics.Select(t => (t.Id, t.Size, t.Label)), loaded.Topics.Select(t => (t.Id, t.Size, t.Label)));
        Assert.Equal(Model.Topics.SelectMany(t => t.Keywords), loaded.Topics.SelectMany(t => t.Keywords));
        Assert.Equal(Model.TransformOptions, loaded.TransformOptions);

        var probe = fixture.Texts.Where((_, i) => i % 50 == 0).Select((t, i) => Perturbations.Apply(t, Perturbations.Kinds[i % 6], i)).ToArray();
        var before = Model.Transform(probe);
        var after = loaded.Transform(probe);
        Assert.Equal(before.Topics, after.Topics);
        Assert.Equal(before.Probabilities, after.Probabilities);
        Assert.Equal(before.Map!.Data, after.Map!.Data);

        var byReducer = Model.TransformOptions with { Method = TopicAssignmentMethod.ReduceAndPredict };
        Assert.Equal(
            WithTransform(Model, byReducer).Transform(probe).Topics,
            WithTransform(loaded, byReducer).Transform(probe).Topics);

        // Saving again over a saved model replaces it whole.
        loaded.Save(path);
        Assert.Equal(Model.DocumentTopics, TopicModel.Load(path).DocumentTopics);
    }

    [Fact]
    public void LoadRejectsAnotherEncoderAndDamagedOrForeignFolders()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("model");
        Model.Save(path);

        var other = LexicalEncoder.Fit(fixture.Texts.Take(300).ToArray(), new LexicalEncoderOptions(Dimension: Model.Embeddings.Columns));
        var wrong = Assert.Throws<ModelFormatException>(() => TopicModel.Load(path, other));
        Assert.Contains("was fitted with encoder", wrong.Message, StringComparison.Ordinal);

        Assert.Contains("does not exist", Assert.Throws<ModelFormatException>(() => TopicModel.Load(folder.Combine("missing"))).Message, StringComparison.Ordinal);
        Directory.CreateDirectory(folder.Combine("foreign"));
        File.WriteAllText(folder.Combine("foreign/notes.txt"), "not a model");
        Assert.Contains("not a saved TopicKit", Assert.Throws<ModelFormatException>(() => TopicModel.Load(folder.Combine("foreign"))).Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => Model.Save(folder.Combine("foreign")));
        Assert.True(File.Exists(folder.Combine("foreign/notes.txt")));

        File.Delete(Path.Combine(path, "embeddings.npy"));
        Assert.Contains("embeddings.npy", Assert.Throws<ModelFormatException>(() => TopicModel.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrecomputedEmbeddingsWithoutAnEncoderTransformOnlyEmbeddings()
    {
        var texts = fixture.Texts.Take(400).ToArray();
        var embeddings = Model.Embeddings.SelectRows(Enumerable.Range(0, 400).ToArray());
        var model = new TopicModel(new TopicModelOptions { MapReducer = null }).Fit(texts, embeddings);
        Assert.Null(model.Encoder);
        Assert.Null(model.Map);
        Assert.Throws<InvalidOperationException>(() => model.Transform(["text"]));
        var predicted = model.Transform(embeddings);
        var clustered = model.DocumentTopics.Count(t => t >= 0);
        var kept = Enumerable.Range(0, 400).Count(i => model.DocumentTopics[i] >= 0 && predicted.Topics[i] == model.DocumentTopics[i]);
        Assert.True(kept >= 0.95 * clustered, $"{kept} of {clustered}");
        Assert.Throws<ArgumentException>(() => model.Transform(new Matrix(1, 3)));
        Assert.Throws<ArgumentException>(() => new TopicModel().Fit(texts, new Matrix(399, embeddings.Columns)));
    }

    [Fact]
    public void OutlierReductionMovesOutliersAndKeepsTopicsAndLabelsTogether()
    {
        var texts = fixture.Texts.Take(600).ToArray();
        var embeddings = Model.Embeddings.SelectRows(Enumerable.Range(0, 600).ToArray());
        var plain = new TopicModel(new TopicModelOptions { MapReducer = null }).Fit(texts, embeddings);
        var reduced = new TopicModel(new TopicModelOptions { MapReducer = null, OutlierReduction = new(OutlierStrategy.ClassTfidf) }).Fit(texts, embeddings);

        var before = plain.DocumentTopics.Count(t => t < 0);
        Assert.Equal(new OutlierSummary(before, before), plain.Outliers);
        Assert.True(before > 0, "the fixture should leave HDBSCAN outliers");
        Assert.Equal(before, reduced.Outliers.Before);
        Assert.Equal(reduced.DocumentTopics.Count(t => t < 0), reduced.Outliers.After);
        Assert.True(reduced.Outliers.Moved > 0);
        for (var i = 0; i < texts.Length; i++)
        {
            // Only outliers move; documents with a topic keep it.
            if (plain.DocumentTopics[i] >= 0)
            {
                Assert.Equal(plain.DocumentTopics[i], reduced.DocumentTopics[i]);
            }
        }

        foreach (var topic in reduced.Topics.Where(t => t.Id >= 0))
        {
            Assert.Equal(reduced.DocumentTopics.Count(t => t == topic.Id), topic.Size);
        }
    }

    private static FittedTopicModel WithTransform(FittedTopicModel model, TopicTransformOptions options) => model.WithTransformOptions(options);
}
