using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SkiaSharp;
using TopicKit.Reporting;

namespace TopicKit.Tests.Reporting;

public sealed partial class ReportWriterTests : IClassFixture<ReportWriterTests.Written>
{
    private static readonly string[] Figures =
        ["topic-map", "topic-sizes", "topic-keywords", "intertopic-map", "topic-similarity", "topic-hierarchy", "topics-over-time"];

    private readonly Written written;

    public ReportWriterTests(Written written) => this.written = written;

    /// <summary>One report of 600 documents in 14 topics with the XSS probe, written once for the class.</summary>
    public sealed class Written : IDisposable
    {
        public Written()
        {
            Data = SyntheticReport.Create(600, 14, seed: 5, probe: true);
            Result = ReportWriter.Write(Data, Folder.Combine("report"));
        }

        internal TempFolder Folder { get; } = new();

        public ReportData Data { get; }

        public ReportResult Result { get; }

        public string Path(string name) => System.IO.Path.Combine(Result.OutDirectory, name);

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void WritesExactlyTheContractFiles()
    {
        var expected = Figures.SelectMany(f => new[] { f + ".png", f + ".svg" })
            .Concat(["index.html", "topics.csv", "documents.csv", "duplicates.csv"]).Order().ToArray();
        Assert.Equal(expected, Directory.GetFiles(written.Result.OutDirectory).Select(System.IO.Path.GetFileName).Order().ToArray());
        Assert.Equal(expected, written.Result.Files.Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void EverySvgIsXmlWithTextAndEveryPngHasContent(string figure)
    {
        var svg = XDocument.Load(written.Path(figure + ".svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text");

        using var bitmap = SKBitmap.Decode(written.Path(figure + ".png"));
        Assert.NotNull(bitmap);
        var (inked, colors) = Ink(bitmap);
        // Not blank: a visible share of non-white pixels in more than a handful of colours.
        Assert.True(inked > 0.01, $"{figure}.png is {inked:P2} non-white");
        Assert.True(colors > 8, $"{figure}.png has only {colors} colours");
    }

    public static TheoryData<string> FigureNames() => [.. Figures];

    [Fact]
    public void DocumentsCsvHasTheContractHeaderAndOneQuotedRowPerDocument()
    {
        var lines = File.ReadAllText(written.Path("documents.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,title,topic,probability,outlier_score,x,y", lines[0]);
        Assert.Equal(written.Data.Documents.Count + 1, lines.Length);
        var probe = written.Data.Documents.Count / 2;
        // RFC 4180: the probe title holds quotes, so the field is quoted and its quotes doubled.
        Assert.StartsWith($"doc-{probe},\"{SyntheticReport.ProbeTitle.Replace("\"", "\"\"", StringComparison.Ordinal)}\",-1,", lines[probe + 1], StringComparison.Ordinal);
        var first = written.Data.Documents[0];
        Assert.EndsWith($",{first.X.ToString("R", System.Globalization.CultureInfo.InvariantCulture)},{first.Y.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TopicsAndDuplicatesCsvListEveryTopicAndPair()
    {
        var topics = File.ReadAllLines(written.Path("topics.csv"));
        Assert.Equal("topic,size,label,keywords,keyword_scores,representative_docs", topics[0]);
        Assert.Equal(written.Data.Topics.Count + 1, topics.Length);
        var biggest = written.Data.Topics.OrderByDescending(t => t.Size).ThenBy(t => t.Id).First();
        Assert.StartsWith($"{biggest.Id},{biggest.Size},", topics[1], StringComparison.Ordinal);

        var duplicates = File.ReadAllLines(written.Path("duplicates.csv"));
        Assert.Equal("group,canonical,id_a,id_b,semantic,lexical", duplicates[0]);
        Assert.Equal(written.Data.DuplicateGroups.Sum(g => g.Pairs.Count) + 1, duplicates.Length);
    }

    [Fact]
    public void HtmlIsSelfContainedAndItsDataCannotCloseTheScript()
    {
        var html = File.ReadAllText(written.Path("index.html"));
        // No network: no external URLs in src/href attributes and a CSP that forbids fetching anything.
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);

        var data = DataBlock().Match(html);
        Assert.True(data.Success);
        var json = data.Groups[1].Value;
        foreach (var forbidden in new[] { "<", ">", "&", "\u2028", "\u2029" })
        {
            Assert.DoesNotContain(forbidden, json, StringComparison.Ordinal);
        }

        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(written.Data.Documents.Count, parsed.RootElement.GetProperty("n").GetInt32());
        // Packed arrays: 4 bytes per document for x, y and topic.
        Assert.Equal(4 * written.Data.Documents.Count, Convert.FromBase64String(parsed.RootElement.GetProperty("x").GetString()!).Length);

        // Titles in markup are entity-encoded; the raw probe appears nowhere in the page.
        Assert.Contains("<title>Synthetic &lt;b&gt;report&lt;/b&gt; &amp; &quot;probe&quot;</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("document.title='pwned'", html, StringComparison.Ordinal);
        Assert.Equal(2, ScriptOpen().Matches(html).Count);
    }

    [Fact]
    public void ACancelledRunLeavesNoFile()
    {
        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var steps = 0;
        var reporter = new CallbackProgress(p =>
        {
            // Cancel once the figures are done, just before anything is written.
            if (++steps == 3)
            {
                cancel.Cancel();
            }
        });
        var outDir = folder.Combine("out");
        Assert.ThrowsAny<OperationCanceledException>(() => ReportWriter.Write(SyntheticReport.Create(200, 5, 1), outDir, null, reporter, cancel.Token));
        Assert.True(!Directory.Exists(outDir) || Directory.GetFiles(outDir).Length == 0);
    }

    [Fact]
    public void InconsistentDataIsRejectedNamingTheRecord()
    {
        var data = SyntheticReport.Create(50, 3, 1);
        var docs = data.Documents.ToList();
        docs[7] = docs[7] with { Topic = 99 };
        var e = Assert.Throws<ArgumentException>(() => ReportWriter.Write(data with { Documents = docs }, Path.GetTempPath()));
        Assert.Contains("Document 7 (id \"doc-7\") has topic 99", e.Message, StringComparison.Ordinal);

        docs = [.. data.Documents];
        docs[3] = docs[3] with { X = double.NaN };
        e = Assert.Throws<ArgumentException>(() => ReportWriter.Write(data with { Documents = docs }, Path.GetTempPath()));
        Assert.Contains("Document 3 (id \"doc-3\") has a non-finite map position", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutHierarchySimilarityOrDatesOnlyTheirFiguresAreSkipped()
    {
        using var folder = new TempFolder();
        var data = SyntheticReport.Create(120, 4, 2, hierarchy: false);
        data = data with
        {
            TopicSimilarity = null,
            Documents = [.. data.Documents.Select(d => d with { Date = null })],
        };
        var result = ReportWriter.Write(data, folder.Path);
        Assert.Equal(
            ["documents.csv", "duplicates.csv", "index.html", "intertopic-map.png", "intertopic-map.svg", "topic-keywords.png", "topic-keywords.svg",
             "topic-map.png", "topic-map.svg", "topic-sizes.png", "topic-sizes.svg", "topics.csv"],
            result.Files.Order().ToArray());
    }

    [Fact]
    public void AnOversizedPageCutsAbstractsToMeetTheSizeBudget()
    {
        using var folder = new TempFolder();
        var data = SyntheticReport.Create(400, 6, 3, abstractChars: 4000);
        var unbounded = ReportWriter.Write(data, folder.Combine("full"));
        var budget = unbounded.HtmlBytes / 2;
        var bounded = ReportWriter.Write(data, folder.Combine("bounded"), new ReportOptions { MaxHtmlBytes = budget });
        Assert.True(bounded.HtmlBytes <= budget, $"{bounded.HtmlBytes} bytes > budget {budget}");
        // Every document is still there; documents.csv (no abstracts) is identical.
        Assert.Equal(File.ReadAllText(folder.Combine("full/documents.csv")), File.ReadAllText(folder.Combine("bounded/documents.csv")));
    }

    /// <summary>Share of non-white pixels and the number of distinct colours (quantised to 4 bits per channel).</summary>
    internal static (double Inked, int Colors) Ink(SKBitmap bitmap)
    {
        var inked = 0L;
        var colors = new HashSet<int>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 245 || c.Green < 245 || c.Blue < 245)
                {
                    inked++;
                }

                colors.Add(((c.Red >> 4) << 8) | ((c.Green >> 4) << 4) | (c.Blue >> 4));
            }
        }

        return (inked / (double)(((bitmap.Height + 1) / 2) * ((bitmap.Width + 1) / 2)), colors.Count);
    }

    private sealed class CallbackProgress(Action<ReportProgress> callback) : IProgress<ReportProgress>
    {
        public void Report(ReportProgress value) => callback(value);
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["']?(?:https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""<script id="report-data" type="application/json">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataBlock();

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOpen();
}
