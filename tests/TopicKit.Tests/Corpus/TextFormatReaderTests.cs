using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>Hand-made fixtures for the line-oriented formats: HF listings, publication lists, Abstract: lines, plain text.</summary>
public sealed class TextFormatReaderTests : CorpusFileTests
{
    private const string LongAbstract =
        "We study a problem at length. This abstract is long enough to be an abstract rather than a title, because it has several sentences.";

    [Fact]
    public async Task HfListingHandlesChromeOrganisationsMissingMetadataAndYearlessDates()
    {
        var page = string.Join("\n\n",
            "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers", "byAK and the research community", "Mar 24",
            "First Title", LongAbstract + " One.", "  • 4 authors\n·\nNov 23, 2025 2",
            "Second Title", LongAbstract + " Two.", "stanfordnlp Stanford NLP\n·\nSep 27 12",
            "Third Title Without Metadata", LongAbstract + " Three.",
            "Fourth Title", LongAbstract + " Four.", "  • 1 authors\n·\nDec 1, 2015") + "\n";
        var path = Files.Write("page.txt", page);
        Assert.Equal(CorpusFormat.HfDailyPapers, CorpusReader.Detect(path));

        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["First Title", "Second Title", "Third Title Without Metadata", "Fourth Title"], docs.Select(d => d.Title));
        Assert.EndsWith("Three.", docs[2].Abstract, StringComparison.Ordinal);
        Assert.Equal([new DateOnly(2025, 11, 23), null, null, new DateOnly(2015, 12, 1)], docs.Select(d => d.Date));

        var withYear = await CorpusTestFiles.ReadAsync(path, new CorpusReadOptions { YearForDatesWithoutYear = 2025 });
        Assert.Equal(new DateOnly(2025, 9, 27), withYear[1].Date); // "Sep 27 12": 12 upvotes, not the year
    }

    [Fact]
    public async Task HfListingKeepsATrailingRecordWithoutMetadata()
    {
        var page = "Daily Papers\n\nOnly Title\n\n" + LongAbstract + "\n\n  • 2 authors\n·\nJan 5, 2024\n\nLast Title\n\n" + LongAbstract + " End.\n";
        var path = Files.Write("page2.txt", page);
        var docs = await CorpusTestFiles.ReadAsync(path, CorpusFormat.HfDailyPapers);
        Assert.Equal(["Only Title", "Last Title"], docs.Select(d => d.Title));
        Assert.Null(docs[1].Date);
    }

    [Fact]
    public async Task HfListingKeepsPapersListedWithoutAbstract()
    {
        var page = "Daily Papers\n\nNo Abstract Here\n\n  • 2 authors\n·\nJan 5, 2024\n\nNext Title\n\n" + LongAbstract + "\n";
        var docs = await CorpusTestFiles.ReadAsync(Files.Write("noabs.txt", page), CorpusFormat.HfDailyPapers);
        Assert.Equal(["No Abstract Here", "Next Title"], docs.Select(d => d.Title));
        Assert.Equal(string.Empty, docs[0].Abstract);
        Assert.Equal(new DateOnly(2024, 1, 5), docs[0].Date);
    }

    [Fact]
    public async Task HfMetadataWithNothingBeforeItIsAnError()
    {
        var page = "Daily Papers\n\n  • 2 authors\n·\nJan 5, 2024\n";
        var ex = await CorpusTestFiles.FailAsync(Files.Write("meta.txt", page), CorpusFormat.HfDailyPapers);
        Assert.Equal(3, ex.Line);
        Assert.Contains("without a title and abstract", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HfListingJoinsAbstractsSplitIntoParagraphs()
    {
        var page = "Daily Papers\n\nA Title\n\n" + LongAbstract + "\n\nA second paragraph. It also has sentences.\n\n  • 2 authors\n·\nJan 5, 2024\n";
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(Files.Write("paras.txt", page), CorpusFormat.HfDailyPapers));
        Assert.Equal("A Title", doc.Title);
        Assert.Equal(LongAbstract + " A second paragraph. It also has sentences.", doc.Abstract);
        Assert.Equal(new DateOnly(2024, 1, 5), doc.Date);
    }

    [Fact]
    public async Task PublicationListSplitsGluedLinesAndJoinsWrappedAbstracts()
    {
        var list =
            "Publications\n" +
            "12.5cs.LGJan 3, 2024\n" +
            "Deep Learning for LLMsJohn Smith, Jean-Pierre Dupont, Ludwig van Beethoven\n" +
            "First abstract line\ncontinues here.\n" +
            "CVFeb 29, 2024\n" +
            "Is Attention All You Need?Mary McDonald et al.\n" +
            "Second abstract.\n" +
            "Mar 1, 2023\n" +
            "GPT-4 Technical ReportOpenAI\n" +
            "Third abstract.\n";
        var path = Files.Write("pubs.txt", list);
        Assert.Equal(CorpusFormat.PublicationList, CorpusReader.Detect(Files.Write("pubs2.txt", list[13..])));
        var docs = await CorpusTestFiles.ReadAsync(path, CorpusFormat.PublicationList);
        Assert.Equal(3, docs.Count);

        Assert.Equal("Deep Learning for LLMs", docs[0].Title);
        Assert.Equal(["John Smith", "Jean-Pierre Dupont", "Ludwig van Beethoven"], docs[0].Authors);
        Assert.Equal(["cs.LG"], docs[0].Categories);
        Assert.Equal(new DateOnly(2024, 1, 3), docs[0].Date);
        Assert.Equal("First abstract line continues here.", docs[0].Abstract);

        Assert.Equal("Is Attention All You Need?", docs[1].Title);
        Assert.Equal(["Mary McDonald"], docs[1].Authors);
        Assert.Equal(["CV"], docs[1].Categories);
        Assert.Equal(new DateOnly(2024, 2, 29), docs[1].Date);

        // "OpenAI" is not a personal name: the line stays the title rather than being split wrongly.
        Assert.Equal("GPT-4 Technical ReportOpenAI", docs[2].Title);
        Assert.Empty(docs[2].Authors);
        Assert.Empty(docs[2].Categories);
        Assert.Equal(new DateOnly(2023, 3, 1), docs[2].Date);
    }

    [Theory]
    [InlineData("Propagation of Chaos in Contextual Flow MapsShi Chen, Zhengjiang Lin, Kaizhao Liu et al.",
        "Propagation of Chaos in Contextual Flow Maps", new[] { "Shi Chen", "Zhengjiang Lin", "Kaizhao Liu" })]
    [InlineData("MemMamba and GradSign: Two NamesAlice Bob", "MemMamba and GradSign: Two Names", new[] { "Alice Bob" })]
    [InlineData("A Study of Lie GroupsO. Zariski, J. R. R. Tolkien", "A Study of Lie Groups", new[] { "O. Zariski", "J. R. R. Tolkien" })]
    [InlineData("Learning in 3DJosé Núñez, Zoë O'Brien", "Learning in 3D", new[] { "José Núñez", "Zoë O'Brien" })]
    public void SplitsTitleFromGluedAuthors(string line, string title, string[] authors)
    {
        var (t, a) = PublicationListReader.SplitTitleAuthors(line);
        Assert.Equal(title, t);
        Assert.Equal(authors, a);
    }

    [Fact]
    public async Task PublicationListMetadataWithoutTitleIsAnError()
    {
        var path = Files.Write("pubs.txt", "LGMay 1, 2024\nTitleAnn Lee\nAbstract.\nITJun 2, 2024\n");
        var ex = await CorpusTestFiles.FailAsync(path, CorpusFormat.PublicationList);
        Assert.Equal(4, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("not followed by a title line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbstractLinesSupportTitlesAndWrappedContinuations()
    {
        var path = Files.Write("abstracts.txt",
            "Abstract: First one.\n\nabstract:Second one\nwrapped onto a second line.\nTitle: A Titled One\nAbstract: Third.\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["First one.", "Second one wrapped onto a second line.", "Third."], docs.Select(d => d.Abstract));
        Assert.Equal([null, null, "A Titled One"], docs.Select(d => d.Title));
    }

    [Fact]
    public async Task AbstractLinesRejectTextBeforeTheFirstRecord()
    {
        var path = Files.Write("abstracts.txt", "Some header\nAbstract: x\n");
        var ex = await CorpusTestFiles.FailAsync(path, CorpusFormat.AbstractLines);
        Assert.Equal(1, ex.Line);
        Assert.Contains("before the first 'Abstract:' line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextParagraphsAreUntitledDocuments()
    {
        var path = Files.Write("notes.txt", "First paragraph\nwraps here.\n\n\n   \nSecond paragraph.\n\nThird.");
        Assert.Equal(CorpusFormat.PlainText, CorpusReader.Detect(path));
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["First paragraph wraps here.", "Second paragraph.", "Third."], docs.Select(d => d.Abstract));
        Assert.All(docs, d => Assert.Null(d.Title));
    }

    [Fact]
    public async Task SameContentTwiceInOneFileGetsDistinctDeterministicIds()
    {
        var path = Files.Write("twice.txt", "Same paragraph.\n\nOther.\n\nsame   PARAGRAPH.\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(docs[0].Id + "~2", docs[2].Id);
        Assert.Equal(DocumentFactory.ContentId("twice.txt", null, "Same paragraph."), docs[0].Id);
        var groups = DuplicateGrouper.Group(docs);
        Assert.Equal([docs[0].Id, docs[2].Id], Assert.Single(groups).Ids);
    }
}
