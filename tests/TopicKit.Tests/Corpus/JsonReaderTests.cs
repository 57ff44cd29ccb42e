using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public sealed class JsonReaderTests : CorpusFileTests
{
    [Fact]
    public async Task ReadsTheArxivSnapshotSchemaAsJsonLines()
    {
        var path = Files.Write("arxiv.json",
            """
            {"id": "0704.0001", "submitter": "P", "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky and C.-P. Yuan", "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies", "categories": "hep-ph", "abstract": "  A fully differential calculation.\n", "update_date": "2008-11-26"}
            {"id": "0704.0002", "authors": "Ileana Streinu and Louis Theran", "title": "Sparsity-certifying Graph Decompositions", "categories": "math.CO cs.CG", "abstract": "We describe a new algorithm.", "update_date": "2008-12-13"}

            """);
        Assert.Equal(CorpusFormat.Json, CorpusReader.Detect(path));
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal("0704.0001", docs[0].Id);
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", docs[0].Title);
        Assert.Equal(["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"], docs[0].Authors);
        Assert.Equal("A fully differential calculation.", docs[0].Abstract);
        Assert.Equal(new DateOnly(2008, 11, 26), docs[0].Date);
        Assert.Equal(["math.CO", "cs.CG"], docs[1].Categories);
        Assert.Equal(["Ileana Streinu", "Louis Theran"], docs[1].Authors);
    }

    [Fact]
    public async Task ReadsAPrettyPrintedArrayWithArraysAndTrickyStrings()
    {
        var path = Files.Write("papers.txt",
            """
            [
              {
                "id": 42,
                "title": "Braces } and { quotes \" inside",
                "summary": "Line one.\nLine two with ] and [ and \"escaped\" quotes.",
                "authors": ["Ann Lee", {"name": "Bo Chen"}, {"given": "Cy", "family": "Diaz"}],
                "categories": ["cs.CL", "cs.LG"],
                "published": "2021-03-04T05:06:07Z",
                "nested": {"deep": [{"x": "}"}], "note": "trailing backslash\\"}
              },
              {"title": "Second", "abstract": "Two", "date": "2022-01-02"}
            ]
            """);
        Assert.Equal(CorpusFormat.Json, CorpusReader.Detect(path));
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal("42", docs[0].Id);
        Assert.Equal("Braces and quotes \" inside", docs[0].Title); // braces are LaTeX grouping by default
        var raw = await CorpusTestFiles.ReadAsync(path, new CorpusReadOptions { ConvertLatex = false });
        Assert.Equal("Braces } and { quotes \" inside", raw[0].Title);
        Assert.Equal("Line one. Line two with ] and [ and \"escaped\" quotes.", docs[0].Abstract);
        Assert.Equal(["Ann Lee", "Bo Chen", "Cy Diaz"], docs[0].Authors);
        Assert.Equal(["cs.CL", "cs.LG"], docs[0].Categories);
        Assert.Equal(new DateOnly(2021, 3, 4), docs[0].Date);
        Assert.Equal("Second", docs[1].Title);
        Assert.Equal(new DateOnly(2022, 1, 2), docs[1].Date);
    }

    [Fact]
    public async Task UsesAuthorsParsedAndUnwrapsHuggingFacePaperObjects()
    {
        var path = Files.Write("mixed.jsonl",
            """
            {"id": "x1", "title": "T", "abstract": "A", "authors_parsed": [["Bal\\'azs", "C.", ""], ["Yuan", "C. -P.", "Jr"]]}
            {"paper": {"id": "2501.00001", "title": "HF title", "summary": "HF summary", "authors": [{"name": "Dee Eff"}], "publishedAt": "2025-01-02T00:00:00.000Z"}, "numComments": 3}
            """);
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["C. Balázs", "C. -P. Yuan Jr"], docs[0].Authors);
        Assert.Equal("2501.00001", docs[1].Id);
        Assert.Equal("HF title", docs[1].Title);
        Assert.Equal("HF summary", docs[1].Abstract);
        Assert.Equal(["Dee Eff"], docs[1].Authors);
        Assert.Equal(new DateOnly(2025, 1, 2), docs[1].Date);
    }

    [Fact]
    public async Task RecordWithoutAbstractFieldIsAnError()
    {
        var path = Files.Write("noabstract.jsonl", "{\"title\": \"ok\", \"abstract\": \"fine\"}\n{\"title\": \"T2\", \"body\": \"x\"}\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(2, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("no abstract field", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJsonReportsTheLine()
    {
        var path = Files.Write("bad.jsonl", "{\"title\": \"a\", \"abstract\": \"b\"}\n{\"title\": \"a\" \"abstract\": \"b\"}\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(2, ex.Line);
        Assert.Contains("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedObjectIsAnError()
    {
        var path = Files.Write("truncated.jsonl", "{\"title\": \"a\", \"abstract\": \"b\"}\n{\"title\": \"c\",\n \"abstract\": \"d");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(2, ex.Line);
        Assert.Contains("unterminated JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnclosedArrayIsAnError()
    {
        var path = Files.Write("truncated.json", "[\n {\"title\": \"a\", \"abstract\": \"b\"},\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(1, ex.Line);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonObjectElementsAndTrailingDataAreErrors()
    {
        var strings = Files.Write("strings.json", "[\"just a string\"]");
        Assert.Contains("where a JSON object was expected", (await CorpusTestFiles.FailAsync(strings)).Message, StringComparison.Ordinal);

        var trailing = Files.Write("trailing.json", "[{\"abstract\": \"a\"}]\n{\"abstract\": \"b\"}\n");
        var ex = await CorpusTestFiles.FailAsync(trailing);
        Assert.Equal(2, ex.Line);
        Assert.Contains("after the end of the top-level JSON array", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcatenatedMultiLineObjectsAreRead()
    {
        var path = Files.Write("concat.jsonl", "{\n \"abstract\": \"one\"\n}\n{\"abstract\": \"two\"}{\"abstract\": \"three\"}\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["one", "two", "three"], docs.Select(d => d.Abstract));
    }
}
