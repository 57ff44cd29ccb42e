using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Corpus;

/// <summary>The 2,000-row arXiv CSV of shared/data, checked against its README and its texts.jsonl companion.</summary>
public class ArxivCsvTests
{
    private static string CsvPath => SharedData.Path("data", "arxiv-2007-04-2000.csv");

    [Fact]
    public void IsDetectedAsCsv() => Assert.Equal(CorpusFormat.Csv, CorpusReader.Detect(CsvPath));

    [Fact]
    public async Task AllRowsMatchTheIndependentTitleAbstractOracle()
    {
        // texts.jsonl was made by another tool as "title. abstract" with whitespace collapsed and no LaTeX
        // conversion, so with conversion off every row must reproduce it exactly, in order, with the same id.
        var docs = await CorpusReader.ReadAllAsync(CsvPath, new CorpusReadOptions { ConvertLatex = false });
        var oracle = File.ReadLines(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString(), Text: e.GetProperty("text").GetString()))
            .ToList();
        Assert.Equal(2000, docs.Count);
        Assert.Equal(oracle.Count, docs.Count);
        for (var i = 0; i < docs.Count; i++)
        {
            Assert.Equal(oracle[i].Id, docs[i].Id);
            Assert.Equal(oracle[i].Text, docs[i].Title + ". " + docs[i].Abstract);
            Assert.Equal(i, docs[i].Position);
        }
    }

    [Fact]
    public async Task CategoriesGiveEighteenArchivesAndOneHundredEightPrimaryCategories()
    {
        var docs = await CorpusReader.ReadAllAsync(CsvPath);
        Assert.Equal(2000, docs.Count);
        Assert.All(docs, d => Assert.NotEmpty(d.Categories));
        var primary = docs.Select(d => d.Categories[0]).ToList();
        Assert.Equal(108, primary.Distinct().Count());
        var archives = primary.Select(c => c.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["astro-ph", "cond-mat", "cs", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph",
             "nlin", "nucl-ex", "nucl-th", "physics", "q-bio", "q-fin", "quant-ph", "stat"],
            archives);
        Assert.Equal(398, primary.Count(c => c.StartsWith("astro-ph", StringComparison.Ordinal))); // counted with Python csv
        Assert.Equal(2000, docs.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public async Task SelectedRowsAreExact()
    {
        var docs = await CorpusReader.ReadAllAsync(CsvPath);

        var first = docs[0];
        Assert.Equal("704.0001", first.Id);
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", first.Title); // wrapped "and\n  LHC"
        Assert.Equal(["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"], first.Authors);           // "Bal\'azs"
        Assert.Equal(["hep-ph"], first.Categories);
        Assert.Equal(new DateOnly(2008, 11, 26), first.Date);                                                  // "11/26/2008"
        Assert.StartsWith("A fully differential calculation in perturbative quantum chromodynamics is presented", first.Abstract, StringComparison.Ordinal);
        Assert.Equal("arxiv-2007-04-2000.csv", first.Source);

        Assert.Equal("704.0002", docs[1].Id);
        Assert.Equal("Sparsity-certifying Graph Decompositions", docs[1].Title);
        Assert.Equal(["Ileana Streinu", "Louis Theran"], docs[1].Authors);
        Assert.Equal(["math.CO", "cs.CG"], docs[1].Categories);
        Assert.Equal(new DateOnly(2008, 12, 13), docs[1].Date);

        // "From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$": math kept readable.
        Assert.Equal("704.0005", docs[4].Id);
        Assert.Equal("From dyadic Λ_α to Λ_α", docs[4].Title);
        Assert.StartsWith("In this paper we show how to compute the Λ_α norm, α≥ 0, using the dyadic grid.", docs[4].Abstract, StringComparison.Ordinal);
        Assert.Equal(["math.CA", "math.FA"], docs[4].Categories);
        Assert.Equal(new DateOnly(2013, 10, 15), docs[4].Date);

        Assert.Equal("704.1001", docs[1000].Id);
        Assert.Equal("Tautological relations in Hodge field theory", docs[1000].Title);
        Assert.Equal(["A. Losev", "S. Shadrin", "I. Shneiberg"], docs[1000].Authors);
        Assert.Equal(new DateOnly(2010, 10, 4), docs[1000].Date);

        var last = docs[1999];
        Assert.Equal("704.2", last.Id);
        Assert.Equal("Search for a Higgs boson produced in association with a Z boson in ppbar collisions", last.Title);
        Assert.Equal(["D0 Collaboration", "V. Abazov"], last.Authors); // ", et al" is not a name
        Assert.Equal(["hep-ex"], last.Categories);
    }

    [Fact]
    public async Task HasNoExactDuplicates()
    {
        var docs = await CorpusReader.ReadAllAsync(CsvPath);
        Assert.Empty(DuplicateGrouper.Group(docs));
    }
}
