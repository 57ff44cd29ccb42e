using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public sealed class BibtexReaderTests : CorpusFileTests
{
    private const string Sample = """
        % A comment line with an e-mail address: someone@example.org
        @string{jml = "Journal of " # "ML"}
        @comment{ignored {nested} stuff}
        @preamble{"\newcommand{\noop}[1]{}"}

        @Article{Knuth:1984,
          author   = {Donald E. Knuth and M{\"u}ller, J{\"o}rg and {Barnes and Noble}},
          title    = "The {T}e{X}book: {\'E}tude of \c{c}a {\ss}",
          journal  = jml,
          year     = 1984, month = mar,
          abstract = {We use $\alpha \leq \beta$ and \textbf{bold} text
                      across {two {nested}} lines with 50\% more.},
          keywords = {typesetting; machine learning},
        }

        @inproceedings(second, title={Second} # { paper}, abstract = {Body two}, date = {2020-05-17},
          primaryClass = {cs.LG}, keywords = {optimization})
        @misc{noabstract, title = {Only a Title}, author = {Doe, Jane and Roe, Jr, Richard}, year = {2019}, month = {11}, day = {5}}
        """;

    [Fact]
    public async Task ReadsEntriesFieldsMacrosAndLatex()
    {
        var path = Files.Write("refs.bib", Sample);
        Assert.Equal(CorpusFormat.Bibtex, CorpusReader.Detect(path));
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(3, docs.Count);

        var knuth = docs[0];
        Assert.Equal("Knuth:1984", knuth.Id);
        Assert.Equal("The TeXbook: Étude of ça ß", knuth.Title);
        Assert.Equal("We use α ≤ β and bold text across two nested lines with 50% more.", knuth.Abstract);
        Assert.Equal(["Donald E. Knuth", "Jörg Müller", "Barnes and Noble"], knuth.Authors);
        Assert.Equal(new DateOnly(1984, 3, 1), knuth.Date);
        Assert.Equal(["typesetting", "machine learning"], knuth.Categories);

        var second = docs[1];
        Assert.Equal("second", second.Id);
        Assert.Equal("Second paper", second.Title); // "#" concatenation
        Assert.Equal(new DateOnly(2020, 5, 17), second.Date);
        Assert.Equal(["cs.LG", "optimization"], second.Categories);

        var third = docs[2];
        Assert.Equal("Only a Title", third.Title);
        Assert.Equal(string.Empty, third.Abstract);
        Assert.Equal(["Jane Doe", "Richard Roe Jr"], third.Authors);
        Assert.Equal(new DateOnly(2019, 11, 5), third.Date);
        Assert.Equal([0, 1, 2], docs.Select(d => d.Position));
    }

    [Fact]
    public async Task LatexIsConvertedEvenWhenTheOptionIsOff()
    {
        var path = Files.Write("one.bib", "@article{k, title = {Caf{\\'e}}, abstract = {x}}");
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(path, new CorpusReadOptions { ConvertLatex = false }));
        Assert.Equal("Café", doc.Title);
    }

    [Fact]
    public async Task UnterminatedEntryNamesItsFirstLine()
    {
        var path = Files.Write("truncated.bib", "@article{a, title={A}, abstract={x}}\n\n@article{b,\n  title = {B},\n  abstract = {never closed\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(3, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("unterminated BibTeX entry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndefinedMacroAndMissingEqualsAreErrors()
    {
        var macro = Files.Write("macro.bib", "@article{a,\n  title = {A},\n  journal = nosuchmacro,\n  abstract = {x}}\n");
        var ex = await CorpusTestFiles.FailAsync(macro);
        Assert.Equal(3, ex.Line);
        Assert.Contains("undefined @string macro 'nosuchmacro'", ex.Message, StringComparison.Ordinal);

        var equals = Files.Write("equals.bib", "@article{a,\n  title {A}}\n");
        var ex2 = await CorpusTestFiles.FailAsync(equals);
        Assert.Equal(2, ex2.Line);
        Assert.Contains("has no '='", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedKeysAreMadeUnique()
    {
        var path = Files.Write("dup.bib", "@article{k, title={A}, abstract={x}}\n@article{k, title={B}, abstract={y}}\n");
        var docs = await CorpusTestFiles.ReadAsync(path);
        Assert.Equal(["k", "k~2"], docs.Select(d => d.Id));
    }

    [Fact]
    public async Task FileWithOnlyCommentsHasNoRecords()
    {
        var path = Files.Write("comments.bib", "@comment{nothing here}\n@string{a = {b}}\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Contains("no records", ex.Message, StringComparison.Ordinal);
    }
}
