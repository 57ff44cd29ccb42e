using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>Detection looks at content first; the extension only breaks ties.</summary>
public sealed class FormatDetectionTests : CorpusFileTests
{
    [Theory]
    [InlineData("data.txt", "{\"abstract\": \"a\"}\n", CorpusFormat.Json)]
    [InlineData("data.csv", "\n  [ {\"abstract\": \"a\"} ]", CorpusFormat.Json)]                 // content beats .csv
    [InlineData("refs.txt", "% exported\n@Article{k, title={T}, abstract={A}}\n", CorpusFormat.Bibtex)]
    [InlineData("papers.dat", "id,title,abstract\n1,T,A\n", CorpusFormat.Csv)]
    [InlineData("papers.dat", "id\ttitle\tabstract\n1\tT\tA\n", CorpusFormat.Tsv)]
    [InlineData("papers.tsv", "a\tb\n1\t2\n", CorpusFormat.Tsv)]                                   // extension breaks the tie
    [InlineData("papers.csv", "x,y\n1,2\n", CorpusFormat.Csv)]
    [InlineData("list.txt", "Abstract: one\nAbstract: two\n", CorpusFormat.AbstractLines)]
    [InlineData("list.txt", "Title: T\nAbstract: one\n", CorpusFormat.AbstractLines)]
    [InlineData("pubs.txt", "77.1LGMay 16\nTitleAnn Lee\nAbstract text.\n", CorpusFormat.PublicationList)]
    [InlineData("refs.txt", "[1] A. Author, A paper, 2020.\n[2] B. Author, Another, 2021.\n", CorpusFormat.PlainText)]
    [InlineData("empty.json", "[\n]\n", CorpusFormat.Json)]
    [InlineData("notes.md", "Just some notes, with a comma.\n\nAnother paragraph.\n", CorpusFormat.PlainText)]
    [InlineData("page.txt", "Some Title\n\nAn abstract.\n\n  • 3 authors\n·\nJan 2, 2024\n", CorpusFormat.HfDailyPapers)]
    public void DetectsByContent(string name, string content, CorpusFormat expected) =>
        Assert.Equal(expected, CorpusReader.Detect(Files.Write(name, content)));

    [Fact]
    public async Task ExplicitFormatOverridesDetection()
    {
        // Detected as CSV, but read as plain text on request: one paragraph, commas and all.
        var path = Files.Write("x.csv", "title,abstract\nT,A\n");
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(path, CorpusFormat.PlainText));
        Assert.Equal("title,abstract T,A", doc.Abstract);
    }
}

public class CorpusFormatNamesTests
{
    [Theory]
    [InlineData("hf", CorpusFormat.HfDailyPapers)]
    [InlineData("HF-Daily-Papers", CorpusFormat.HfDailyPapers)]
    [InlineData("jsonl", CorpusFormat.Json)]
    [InlineData("bib", CorpusFormat.Bibtex)]
    [InlineData(" tsv ", CorpusFormat.Tsv)]
    [InlineData("PlainText", CorpusFormat.PlainText)]
    [InlineData("abstracts", CorpusFormat.AbstractLines)]
    public void ParsesNamesAndAliases(string text, CorpusFormat expected)
    {
        Assert.True(CorpusFormatNames.TryParse(text, out var format));
        Assert.Equal(expected, format);
    }

    [Fact]
    public void CanonicalNamesRoundTripAndUnknownNamesFail()
    {
        Assert.Equal(["auto", "hf-daily-papers", "publication-list", "abstract-lines", "json", "csv", "tsv", "bibtex", "plain-text"],
            CorpusFormatNames.All);
        foreach (var format in Enum.GetValues<CorpusFormat>())
        {
            Assert.True(CorpusFormatNames.TryParse(CorpusFormatNames.Name(format), out var parsed));
            Assert.Equal(format, parsed);
        }

        Assert.False(CorpusFormatNames.TryParse("xml", out _));
        Assert.False(CorpusFormatNames.TryParse(null, out _));
    }
}
