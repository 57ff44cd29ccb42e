using System.Text.RegularExpressions;
using TopicKit.Duplicates;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Tests.Pipeline;

public sealed class DuplicatesJobTests
{
    // 3-word shingles of lower-cased words of 2+ word characters, as the README defines the lexical method; written
    // out here so the expected Jaccard does not come from the code under test.
    private static double ShingleJaccard(string a, string b)
    {
        static HashSet<string> Shingles(string text)
        {
            var words = Regex.Matches(text.ToLowerInvariant(), @"\w\w+").Select(m => m.Value).ToArray();
            return [.. Enumerable.Range(0, words.Length - 2).Select(i => string.Join(' ', words[i..(i + 3)]))];
        }

        var (x, y) = (Shingles(a), Shingles(b));
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    [Fact]
    public async Task LexicalOnAWorkspaceFindsTheRevisionAndTheExactCopyAndWritesTheCsv()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        var csv = folder.Combine("pairs.csv");

        var result = DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions()) { Workspace = ws, Output = csv });

        Assert.Equal(6, result.Report.Rows);
        Assert.Equal(["p-speech", "p-speech-v2", "p-galaxy", "p-protein", "p-galaxy-copy", "p-climate"], result.Ids);
        var pairs = result.Report.Pairs.Select(p => (result.Name(p.A), result.Name(p.B), p.Exact)).ToArray();
        Assert.Equal([("p-speech", "p-speech-v2", false), ("p-galaxy", "p-galaxy-copy", true)], pairs);
        var docs = JobTestCorpus.Documents;
        var revision = result.Report.Groups[0].Pairs[0];
        Assert.Equal(ShingleJaccard(docs[0].Title + ". " + docs[0].Abstract, docs[1].Title + ". " + docs[1].Abstract), revision.Lexical!.Value, 12);
        Assert.Null(revision.Semantic);
        Assert.Equal(1.0, result.Report.Groups[1].Pairs[0].Lexical!.Value, 12);
        Assert.Equal(Path.GetFullPath(csv), result.Output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(DuplicateReportCsv.Header, lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("0,p-speech,p-speech-v2,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("1,p-galaxy,p-galaxy-copy,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void SemanticOnABareMatrixNamesRowsByNumberWithHandComputedCosines()
    {
        using var folder = new TempFolder();
        var path = WriteMatrix(folder, [1, 0, 0, 0.99f, 0.1f, 0, 0, 1, 0, 0, 0, 1, 0, 0.05f, 1]);

        var result = DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions { Method = DuplicateMethod.Semantic }) { Embeddings = path });

        Assert.Null(result.Documents);
        Assert.Null(result.Ids);
        Assert.Equal("exact", result.Report.SemanticSearch);
        var pairs = result.Report.Pairs.ToArray();
        Assert.Equal([(0, 1), (3, 4)], pairs.Select(p => (p.A, p.B)));
        Assert.Equal(0.99 / Math.Sqrt((0.99 * 0.99) + (0.1 * 0.1)), pairs[0].Semantic!.Value, 6);
        Assert.Equal(1 / Math.Sqrt(1 + (0.05 * 0.05)), pairs[1].Semantic!.Value, 6);
        Assert.All(pairs, p => Assert.Null(p.Lexical));
        Assert.Equal("3", result.Name(3));
    }

    [Fact]
    public async Task BothOnAWorkspaceWithAMatrixScoresEveryPairByBothMethods()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        // Row 5 points the same way as row 3: a semantic pair the texts do not share; rows 2 and 4 (the exact copy) too.
        float[] rows = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6f, 0.8f, 0, 0, 0, 1, 0.6f, 0.8f, 0];
        var path = WriteMatrix(folder, rows, 6);

        var request = new DuplicatesRequest(new DuplicateOptions { Method = DuplicateMethod.Both, MinWordContainment = 0 }) { Workspace = ws, Embeddings = path };

        var result = DuplicatesJob.Run(request);

        var pairs = result.Report.Pairs.ToDictionary(p => (p.A, p.B));
        Assert.Equal([(0, 1), (2, 4), (3, 5)], pairs.Keys.Order());
        Assert.Equal(0.0, pairs[(0, 1)].Semantic!.Value, 12);
        Assert.Equal(1.0, pairs[(3, 5)].Semantic!.Value, 6);
        Assert.Equal(0.0, pairs[(3, 5)].Lexical!.Value, 12);
        Assert.True(pairs[(2, 4)].Exact);

        // At the default word-containment floor the protein and climate papers, which share only "with", "of" and "and", are not
        // duplicates however close their vectors; the exact copy (also semantic) and the lexical pair stay.
        var corroborated = DuplicatesJob.Run(request with { Options = request.Options with { MinWordContainment = new DuplicateOptions().MinWordContainment } });
        Assert.Equal([(0, 1), (2, 4)], corroborated.Report.Pairs.Select(p => (p.A, p.B)));
        Assert.Equal(1, corroborated.Report.Uncorroborated);
        string Text(int row) => JobTestCorpus.Documents[row].Title + ". " + JobTestCorpus.Documents[row].Abstract;
        Assert.Equal(3.0 / 27, LexicalPairSearch.WordContainment(Text(3), Text(5)), 12);
    }

    [Theory]
    [InlineData(1.5, 0.5, "Threshold")]
    [InlineData(-0.01, 0.5, "Threshold")]
    [InlineData(double.NaN, 0.5, "Threshold")]
    [InlineData(0.95, 1.01, "Threshold")]
    public void ThresholdsOutsideZeroToOneAreRejectedBeforeAnythingIsRead(double cosine, double jaccard, string property)
    {
        var options = new DuplicateOptions
        {
            Method = DuplicateMethod.Both,
            Semantic = new PairSearchOptions { Threshold = cosine },
            Lexical = new LexicalSearchOptions { Threshold = jaccard },
        };
        // The workspace does not exist: the settings are checked first.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DuplicatesJob.Run(new DuplicatesRequest(options) { Workspace = "/nonexistent/ws" }));
        Assert.Equal(property, error.ParamName);
        Assert.Contains(cosine is >= 0 and <= 1 ? "Jaccard" : "cosine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInputsGetErrorsNamingTheProblem()
    {
        using var folder = new TempFolder();
        var semantic = new DuplicateOptions { Method = DuplicateMethod.Semantic };

        var empty = JobTestCorpus.CreateEmpty(folder.Combine("empty"));
        var noDocuments = Assert.Throws<InvalidDataException>(() => DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions()) { Workspace = empty }));
        Assert.Contains("has no documents", noDocuments.Message, StringComparison.Ordinal);

        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        var noVectors = Assert.Throws<InvalidDataException>(() => DuplicatesJob.Run(new DuplicatesRequest(semantic) { Workspace = ws }));
        Assert.Contains("has no embeddings", noVectors.Message, StringComparison.Ordinal);

        var csv = folder.Combine("never.csv");
        var nan = WriteMatrix(folder, [1, 0, 0, 0.99f, 0.1f, 0, 0, 1, 0, 0, float.NaN, 1, 0, 0.05f, 1]);
        var notFinite = Assert.Throws<InvalidDataException>(() => DuplicatesJob.Run(new DuplicatesRequest(semantic) { Embeddings = nan, Output = csv }));
        Assert.Contains("row 3 holds NaN (column 1)", notFinite.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(csv));

        var fine = WriteMatrix(folder, [1, 0, 0, 1, 0, 0], 2, "fine.npy");
        Assert.Equal("Workspace", Assert.Throws<ArgumentException>(() => DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions()) { Embeddings = fine })).ParamName);
        Assert.Equal("Model", Assert.Throws<ArgumentException>(() => DuplicatesJob.Run(new DuplicatesRequest(semantic) { Embeddings = fine, Model = "lexical" })).ParamName);
        var rows = Assert.Throws<ArgumentException>(() => DuplicatesJob.Run(new DuplicatesRequest(semantic) { Workspace = ws, Embeddings = fine }));
        Assert.Equal("Embeddings", rows.ParamName);
        Assert.Contains("has 2 rows but workspace", rows.Message, StringComparison.Ordinal);

        Assert.ThrowsAny<WorkspaceException>(() => DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions()) { Workspace = folder.Combine("missing") }));
        Assert.False(Directory.Exists(folder.Combine("missing")));
    }

    [Fact]
    public async Task CancellationWritesNothing()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        var csv = folder.Combine("pairs.csv");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.ThrowsAny<OperationCanceledException>(() => DuplicatesJob.Run(new DuplicatesRequest(new DuplicateOptions()) { Workspace = ws, Output = csv }, null, cancelled.Token));
        Assert.False(File.Exists(csv));
    }

    private static string WriteMatrix(TempFolder folder, float[] values, int rows = 5, string name = "x.npy")
    {
        var x = new Matrix(rows, values.Length / rows);
        values.CopyTo(x.Data, 0);
        var path = folder.Combine(name);
        NpyFile.Write(path, x);
        return path;
    }
}
