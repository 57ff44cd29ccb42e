using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public sealed class DelimitedReaderTests : CorpusFileTests
{
    [Fact]
    public async Task ReadsQuotedMultiLineFieldsAndDoubledQuotes()
    {
        var path = Files.Write("papers.csv",
            "id,Title,ABSTRACT,authors,categories,update_date\n" +
            "p1,\"A title, with comma\",\"First line\nsecond \"\"quoted\"\" line\",\"A. B and C. D\",cs.LG stat.ML,2020-01-02\n" +
            "p2,Plain,Short abstract,,,\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal("p1", docs[0].Id);
        Assert.Equal("A title, with comma", docs[0].Title);
        Assert.Equal("First line second \"quoted\" line", docs[0].Abstract);
        Assert.Equal(["A. B", "C. D"], docs[0].Authors);
        Assert.Equal(["cs.LG", "stat.ML"], docs[0].Categories);
        Assert.Equal(new DateOnly(2020, 1, 2), docs[0].Date);
        Assert.Equal("p2", docs[1].Id);
        Assert.Empty(docs[1].Authors);
        Assert.Null(docs[1].Date);
        Assert.Equal(1, docs[1].Position);
    }

    [Fact]
    public async Task RecognisesTheKaggleTitlesSummariesTermsLayout()
    {
        var path = Files.Write("arxiv_data.csv",
            "titles,summaries,terms\n" +
            "\"Survey on X\",\"We survey X.\",\"['cs.LG', 'cs.AI']\"\n");
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(path));
        Assert.Equal("Survey on X", doc.Title);
        Assert.Equal("We survey X.", doc.Abstract);
        Assert.Equal(["cs.LG", "cs.AI"], doc.Categories);
        Assert.Matches("^[0-9a-f]{16}$", doc.Id); // no id column: content hash
    }

    [Fact]
    public async Task ColumnMapOverridesRecognition()
    {
        var path = Files.Write("custom.csv",
            "key,headline,body,summary\n" +
            "k1,Real title,Real abstract,not this\n");
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(path, CorpusFormat.Csv,
            new CsvColumnMap(Title: "HEADLINE", Abstract: "body", Id: "key")));
        Assert.Equal("k1", doc.Id);
        Assert.Equal("Real title", doc.Title);
        Assert.Equal("Real abstract", doc.Abstract);
    }

    [Fact]
    public async Task ColumnMapNamingAnAbsentColumnIsAnError()
    {
        var path = Files.Write("custom.csv", "title,abstract\nT,A\n");
        var ex = await CorpusTestFiles.FailAsync(path, options: new CorpusReadOptions { Columns = new CsvColumnMap(Abstract: "body") });
        Assert.Equal(1, ex.Line);
        Assert.Contains("'body'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("title, abstract", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingAbstractColumnIsAnError()
    {
        var path = Files.Write("noabstract.csv", "id,title,authors\n1,T,A\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(1, ex.Line);
        Assert.Contains("no abstract column", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CsvColumnMap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnterminatedQuoteAtEndOfFileNamesTheRowStart()
    {
        var path = Files.Write("truncated.csv", "title,abstract\nT1,A1\nT2,\"starts here\nand never\nends");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(3, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("unterminated quoted field", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtraFieldsAreAnError()
    {
        var path = Files.Write("extra.csv", "title,abstract\nT1,A1\nT2,A2,oops\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(3, ex.Line);
        Assert.Contains("3 fields but the header has 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextAfterAClosingQuoteIsAnError()
    {
        var path = Files.Write("badquote.csv", "title,abstract\n\"T1\"x,A1\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(2, ex.Line);
        Assert.Contains("after the closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortRowsArePaddedAndBlankLinesSkippedWithCrLf()
    {
        var path = Files.Write("crlf.csv", "abstract,title,id\r\nA1,T1\r\n\r\nA2,T2,x\r\n,,\r\n , ,\r\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal("T1", docs[0].Title);
        Assert.Equal("A1", docs[0].Abstract);
        Assert.Equal("x", docs[1].Id);
        Assert.Equal("T2", docs[1].Title);
    }

    [Fact]
    public async Task ReadsTsvWithQuotedTabs()
    {
        var path = Files.Write("papers.tsv", "id\ttitle\tabstract\n1\tT one\tAbstract one\n2\t\"T\ttwo\"\tAbstract two\n");
        Assert.Equal(CorpusFormat.Tsv, CorpusReader.Detect(path));
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["1", "2"], docs.Select(d => d.Id));
        Assert.Equal("T two", docs[1].Title); // the tab inside the quoted field is whitespace, folded
    }

    [Fact]
    public async Task HeaderOnlyFileHasNoRecords()
    {
        var path = Files.Write("header.csv", "title,abstract\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Contains("no records", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyTitleAndAbstractRowIsAnError()
    {
        var path = Files.Write("blankrow.csv", "title,abstract,id\nT,A,1\n,,2\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(3, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("neither a title nor an abstract", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedIdsInOneFileAreMadeUnique()
    {
        var path = Files.Write("dupids.csv", "id,title,abstract\n7,T1,A1\n7,T2,A2\n7,T3,A3\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["7", "7~2", "7~3"], docs.Select(d => d.Id));
    }

    [Fact]
    public async Task OversizedQuotedRowIsRejectedNotBuffered()
    {
        var body = string.Join('\n', Enumerable.Repeat(new string('x', 1000), 50)); // 50 kB in one quoted field
        var path = Files.Write("huge.csv", "title,abstract\nT,\"" + body + "\"\n");
        var ex = await CorpusTestFiles.FailAsync(path, options: new CorpusReadOptions { MaxRecordChars = 10_000 });
        Assert.Equal(2, ex.Line);
        Assert.Contains("longer than the limit", ex.Message, StringComparison.Ordinal);
    }
}
