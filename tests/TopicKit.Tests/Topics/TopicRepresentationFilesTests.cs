using TopicKit.Numerics;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>Save/Load round trips and clear errors for damaged or foreign folders.</summary>
public sealed class TopicRepresentationFilesTests
{
    [Fact]
    public void LoadGivesTheSameAnswers()
    {
        using var temp = new TempFolder();
        var arxiv = TopicsTestData.Arxiv;
        var embeddings = new Matrix(arxiv.Texts.Count, 3);
        for (var i = 0; i < embeddings.Rows; i++)
        {
            embeddings[i, i % 3] = 1f + (i % 7);
        }

        var options = new ClassTfidfOptions(NgramMax: 2, MinDocumentFrequency: 2, StopWords: TopicsTestData.OracleStopWords, SeedWords: ["quantum"], Bm25Weighting: true);
        var original = new ClassTfidfRepresenter(options).Fit(arxiv.Documents with { Embeddings = embeddings })
            .WithLabels(new Dictionary<int, string> { [0] = "Astro \"quoted\" label" });
        original.Save(temp.Path);
        var loaded = TopicRepresentation.Load(temp.Path);

        Assert.Equal(original.Vocabulary, loaded.Vocabulary);
        Assert.Equal(original.Idf.ToArray(), loaded.Idf.ToArray());
        Assert.Equal(original.ClassTfidf.Values, loaded.ClassTfidf.Values);
        Assert.Equal(original.ClassTfidf.ColumnIndices, loaded.ClassTfidf.ColumnIndices);
        Assert.Equal(original.Options with { StopWords = null, SeedWords = null }, loaded.Options with { StopWords = null, SeedWords = null });
        Assert.Equal(original.Options.EffectiveStopWords.Set.Order(), loaded.Options.EffectiveStopWords.Set.Order());
        for (var k = 0; k < original.Topics.Count; k++)
        {
            var a = original.Topics[k];
            var b = loaded.Topics[k];
            Assert.Equal((a.Id, a.Size, a.Label), (b.Id, b.Size, b.Label));
            Assert.Equal(a.Keywords, b.Keywords);
            Assert.Equal(a.RepresentativeDocuments, b.RepresentativeDocuments);
            Assert.Equal(a.Centroid, b.Centroid);
        }

        var probe = arxiv.Texts.Take(20).ToArray();
        Assert.Equal(original.DocumentTopicSimilarity(probe).Data, loaded.DocumentTopicSimilarity(probe).Data);
    }

    [Fact]
    public void DamagedOrForeignFoldersFailClearly()
    {
        using var temp = new TempFolder();
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(new TopicDocuments(["apple pie", "cherry tart"], [0, 1]));

        var empty = Directory.CreateDirectory(temp.Combine("empty")).FullName;
        Assert.Contains("not a saved topic representation", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(empty)).Message);

        var foreign = Directory.CreateDirectory(temp.Combine("foreign")).FullName;
        File.WriteAllText(Path.Combine(foreign, "topics.json"), "{\"format\": \"something-else\", \"version\": 1}");
        Assert.Contains("not a TopicKit topic representation", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(foreign)).Message);

        var newer = temp.Combine("newer");
        r.Save(newer);
        var manifest = Path.Combine(newer, "topics.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": 1", "\"version\": 99", StringComparison.Ordinal));
        Assert.Contains("newer TopicKit", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(newer)).Message);

        var truncated = temp.Combine("truncated");
        r.Save(truncated);
        File.WriteAllText(Path.Combine(truncated, "topics.json"), File.ReadAllText(Path.Combine(truncated, "topics.json"))[..40]);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(truncated)).Message);

        var missingArray = temp.Combine("missing");
        r.Save(missingArray);
        File.Delete(Path.Combine(missingArray, "idf.npy"));
        Assert.Contains("idf.npy", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(missingArray)).Message);

        var wrongShape = temp.Combine("shape");
        r.Save(wrongShape);
        NpyFile.Write(Path.Combine(wrongShape, "idf.npy"), new Matrix(1, 1));
        Assert.Contains("idf.npy is 1 x 1", Assert.Throws<InvalidDataException>(() => TopicRepresentation.Load(wrongShape)).Message);
    }
}
