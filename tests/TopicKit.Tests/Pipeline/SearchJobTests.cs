using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Pipeline;
using TopicKit.Search;
using TopicKit.Storage;

namespace TopicKit.Tests.Pipeline;

public sealed class SearchJobTests
{
    private static string TextOf(int row) => JobTestCorpus.Documents[row].Title + ". " + JobTestCorpus.Documents[row].Abstract;

    [Fact]
    public async Task WithoutVectorsTheDefaultIsBm25AndTheResultSaysSo()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));

        var result = SearchJob.Search(new SearchRequest(ws, "rainfall extremes over the Alps") { Top = 3 });

        Assert.Equal(SearchMode.Lexical, result.Mode);
        Assert.True(result.LexicalFallback);
        Assert.Null(result.ModelId);
        Assert.Null(result.Truncation);
        Assert.Equal("p-climate", result.Documents[result.Hits[0].Row].Id);
        // Only the climate abstract holds "rainfall", "extremes" and "Alps"; the others share at most "the" and "over".
        Assert.True(result.Hits.Count <= 3);
        Assert.True(result.Hits.Skip(1).All(h => h.Score < result.Hits[0].Score));

        var asked = SearchJob.Search(new SearchRequest(ws, "rainfall") { Mode = SearchMode.Lexical });
        Assert.False(asked.LexicalFallback);
        Assert.Throws<InvalidDataException>(() => SearchJob.Search(new SearchRequest(ws, "rainfall") { Mode = SearchMode.Semantic }));
    }

    [Fact]
    public async Task SemanticHybridAndSimilarAgreeWithHandComputedRankings()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        EmbedJob.Run(new EmbedRequest(ws) { Model = "lexical" });

        // The workspace's own encoder embeds the query: a document's embedded text comes back at cosine 1.
        var semantic = SearchJob.Search(new SearchRequest(ws, TextOf(0)) { Top = 2 });
        Assert.Equal(SearchMode.Semantic, semantic.Mode);
        Assert.False(semantic.LexicalFallback);
        Assert.Equal(0, semantic.Hits[0].Row);
        Assert.Equal(1.0, semantic.Hits[0].Score, 4);
        Assert.StartsWith("lexical-", semantic.ModelId, StringComparison.Ordinal);

        // Row 0 is first in both rankings, so its fused score is 1/(60+1) twice.
        var hybrid = SearchJob.Search(new SearchRequest(ws, TextOf(0)) { Mode = SearchMode.Hybrid });
        Assert.Equal(0, hybrid.Hits[0].Row);
        Assert.Equal(2.0 / 61, hybrid.Hits[0].Score, 12);

        // Similar: brute-force cosine over the stored vectors, ties by stored order, the document left out.
        using (var workspace = Workspace.Open(ws))
        {
            var vectors = ClusterInput.FromWorkspace(workspace, null, EmbeddingTextField.TitleAbstract, ModelStore.Create(null)).Vectors;
            double Cosine(int a, int b)
            {
                double dot = 0, na = 0, nb = 0;
                for (var c = 0; c < vectors.Columns; c++)
                {
                    (dot, na, nb) = (dot + ((double)vectors[a, c] * vectors[b, c]), na + ((double)vectors[a, c] * vectors[a, c]), nb + ((double)vectors[b, c] * vectors[b, c]));
                }

                // An all-zero vector (a text with no word the encoder knows) has cosine 0 with every row.
                return na * nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
            }

            // A valid top 4: each score is the brute-force cosine, best first, and no row left out scores higher. (Rows at
            // cosine ~0 may come in any order, so the order itself is not compared.)
            var similar = SearchJob.Similar(new SimilarRequest(ws, "p-galaxy") { Top = 4 });
            Assert.Equal(4, similar.Hits.Count);
            Assert.Equal(4, similar.Hits[0].Row);
            Assert.Equal(1.0, similar.Hits[0].Score, 5);
            Assert.DoesNotContain(similar.Hits, h => h.Row == 2);
            foreach (var hit in similar.Hits)
            {
                Assert.Equal(Cosine(2, hit.Row), hit.Score, 5);
            }

            Assert.True(similar.Hits.Zip(similar.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
            var last = similar.Hits[^1].Score;
            Assert.All(Enumerable.Range(0, 6).Where(r => r != 2 && similar.Hits.All(h => h.Row != r)), r => Assert.True(Cosine(2, r) <= last + 1e-5));
            Assert.Equal(JobTestCorpus.Documents[2].Title, similar.Query);
        }
    }

    [Fact]
    public async Task AnOverLongQueryIsTruncatedToWhatTheModelReadsAndTheResultSaysSo()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        var model = SharedData.Path("models", "tiny-bert");
        EmbedJob.Run(new EmbedRequest(ws) { Model = model });
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "sentence_bert_config.json")));
        var limit = config.RootElement.GetProperty("max_seq_length").GetInt32();

        var shortQuery = SearchJob.Search(new SearchRequest(ws, "speech recognition") { Model = model });
        Assert.Null(shortQuery.Truncation);
        Assert.Equal(SearchMode.Semantic, shortQuery.Mode);

        var longText = string.Join(' ', Enumerable.Repeat(JobTestCorpus.Speech, 10));
        var longQuery = SearchJob.Search(new SearchRequest(ws, longText) { Model = model });
        var cut = Assert.IsType<QueryTruncation>(longQuery.Truncation);
        Assert.Equal(limit, cut.Limit);
        // At least one WordPiece per word, plus [CLS] and [SEP].
        Assert.True(cut.Tokens >= longText.Split(' ').Length + 2, $"{cut.Tokens} tokens");

        // The model reads the first `limit` tokens, so anything after them cannot change the ranking.
        var longer = SearchJob.Search(new SearchRequest(ws, longText + " rainfall over the Alps") { Model = model });
        Assert.Equal(longQuery.Hits, longer.Hits);
    }

    [Fact]
    public async Task BadInputsGetErrorsNamingTheProblem()
    {
        using var folder = new TempFolder();
        var empty = JobTestCorpus.CreateEmpty(folder.Combine("empty"));
        Assert.Contains("has no documents", Assert.Throws<InvalidDataException>(() => SearchJob.Search(new SearchRequest(empty, "x"))).Message, StringComparison.Ordinal);
        Assert.Contains("has no documents", Assert.Throws<InvalidDataException>(() => SearchJob.Similar(new SimilarRequest(empty, "x"))).Message, StringComparison.Ordinal);

        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        Assert.Equal("Top", Assert.Throws<ArgumentOutOfRangeException>(() => SearchJob.Search(new SearchRequest(ws, "x") { Top = 0 })).ParamName);
        Assert.Equal("Top", Assert.Throws<ArgumentOutOfRangeException>(() => SearchJob.Similar(new SimilarRequest(ws, "p-galaxy") { Top = 0 })).ParamName);
        Assert.Contains("has no embeddings", Assert.Throws<InvalidDataException>(() => SearchJob.Similar(new SimilarRequest(ws, "p-galaxy"))).Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<KeyNotFoundException>(() => SearchJob.Similar(new SimilarRequest(ws, "no-such-id")));
        Assert.StartsWith("no document 'no-such-id'", unknown.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<WorkspaceException>(() => SearchJob.Search(new SearchRequest(folder.Combine("missing"), "x")));
    }
}
