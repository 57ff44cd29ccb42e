using System.Diagnostics;
using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>
/// Inputs from the hostile-user probe of issue 9: each used to crash (exit 70), hang, or lose data silently, and must now
/// end in a one-line <see cref="CorpusFormatException"/> naming the file and line, or parse correctly.
/// </summary>
public sealed class HostileInputTests : CorpusFileTests
{
    [Fact]
    public async Task ALoneSurrogateEscapeIsAFormatErrorNamingItsLine()
    {
        var path = Files.Write("lone.jsonl",
            "{\"id\": \"a\", \"abstract\": \"fine text\"}\n"
            + "{\"id\": \"b\",\n \"title\": \"ok\",\n \"abstract\": \"x \\ud800 y\"}\n");

        var ex = await CorpusTestFiles.FailAsync(path);

        // The record starts on line 2 and the escape is on its third line.
        Assert.Equal(4, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"abstract\": \"a \\udc00 b\"}")]        // lone low half
    [InlineData("{\"abstract\": \"ok\", \"authors\": [\"\\ud83d\"]}")] // in an author, not the abstract
    [InlineData("{\"id\": \"\\ud800\", \"abstract\": \"ok\"}")]
    public async Task LoneSurrogatesAnywhereInARecordAreFormatErrors(string record)
    {
        var path = Files.Write("lone.jsonl", record + "\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public async Task AValidSurrogatePairIsText()
    {
        var path = Files.Write("pair.jsonl", "{\"abstract\": \"smile \\ud83d\\ude00 here\"}\n");
        var document = Assert.Single(await CorpusTestFiles.ReadAsync(path));
        Assert.Equal("smile \U0001F600 here", document.Abstract);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("true")]
    [InlineData("[[1],[2]]")]
    public async Task ValidJsonThatIsNotAnObjectIsAnErrorNotPlainText(string content)
    {
        var path = Files.Write("values.txt", content + "\n");

        Assert.Equal(CorpusFormat.Json, CorpusReader.Detect(path));
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(1, ex.Line);
        Assert.Contains("JSON object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeeplyNestedArraysAreAnErrorWithoutStackOverflow()
    {
        var path = Files.Write("deep.json", new string('[', 10_000) + new string(']', 10_000));

        Assert.Equal(CorpusFormat.Json, CorpusReader.Detect(path));
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(1, ex.Line);
    }

    [Theory]
    [InlineData("[1] Smith, J. A paper about things.\n[2] Doe, J. Another paper.")]
    [InlineData("2023 was a year of progress in speech recognition.")]
    [InlineData("null hypothesis testing in large language models")]
    public async Task PlainTextThatMerelyStartsLikeJsonStaysPlainText(string content)
    {
        var path = Files.Write("refs.txt", content + "\n");
        Assert.Equal(CorpusFormat.PlainText, CorpusReader.Detect(path));
        Assert.NotEmpty(await CorpusTestFiles.ReadAsync(path));
    }

    [Theory]
    [InlineData("{\"id\": \"p\", \"title\": {\"en\": \"T\"}, \"abstract\": \"text\"}", "title", "an object")]
    [InlineData("{\"id\": \"p\", \"title\": null, \"abstract\": \"text\"}", "title", "null")]
    [InlineData("{\"id\": \"p\", \"title\": \"T\", \"abstract\": {\"text\": \"x\"}}", "abstract", "an object")]
    [InlineData("{\"id\": \"p\", \"title\": \"T\", \"abstract\": null}", "abstract", "null")]
    [InlineData("{\"id\": \"p\", \"title\": \"T\", \"abstract\": [{\"a\": 1}]}", "abstract", "objects")]
    public async Task ATitleOrAbstractThatIsNotTextIsAnErrorNamingTheRecord(string second, string field, string shape)
    {
        var path = Files.Write("shapes.jsonl", "{\"id\": \"ok\", \"abstract\": \"fine\"}\n" + second + "\n");

        var ex = await CorpusTestFiles.FailAsync(path);

        Assert.Equal(2, ex.Line);
        Assert.Equal(2, ex.Record);
        Assert.Contains($"\"{field}\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(shape, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtraClosingBracesInABibtexFieldAreAnErrorNotADroppedAbstract()
    {
        var path = Files.Write("extra.bib",
            "@article{good, title={Fine}, abstract={Kept abstract.}}\n\n"
            + "@article{bad,\n  title={A title}}}},\n  abstract={This abstract must not vanish.},\n}\n");

        var ex = await CorpusTestFiles.FailAsync(path);

        Assert.Equal(4, ex.Line);
        Assert.Contains("closed early", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFieldStrandedAfterAnEarlyCloseOnItsOwnLineIsAnError()
    {
        var path = Files.Write("stranded.bib",
            "@article{bad,\n  title={A title}}\n  abstract={Would be dropped.},\n}\n");

        var ex = await CorpusTestFiles.FailAsync(path);

        Assert.Equal(3, ex.Line);
        Assert.Contains("outside any entry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextBetweenBibtexEntriesIsStillAComment()
    {
        var path = Files.Write("comments.bib",
            "Exported by a tool } on Monday\n@article{a, title={One}, abstract={First.}}\nsome note here\n@article{b, title={Two}, abstract={Second.}}\n");

        var documents = await CorpusTestFiles.ReadAsync(path);

        Assert.Equal(["a", "b"], documents.Select(d => d.Id));
    }

    [Fact]
    public async Task AnIdRepeatedInOneFileKeepsItsOwnIdAsTheOriginal()
    {
        var path = Files.Write("repeat.jsonl",
            "{\"id\": \"p1\", \"abstract\": \"one\"}\n{\"id\": \"p1\", \"abstract\": \"two\"}\n{\"id\": \"p2\", \"abstract\": \"three\"}\n");

        var documents = await CorpusTestFiles.ReadAsync(path);

        Assert.Equal(["p1", "p1~2", "p2"], documents.Select(d => d.Id));
        Assert.Equal(["p1", "p1", "p2"], documents.Select(d => d.OwnId));
        Assert.Equal([null, "p1", null], documents.Select(d => d.RepeatedId));
    }

    [Fact]
    public async Task AFifoIsRefusedAtOnceInsteadOfBlocking()
    {
        var fifo = Path.Combine(Files.Root, "pipe.jsonl");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        foreach (var format in new[] { CorpusFormat.Auto, CorpusFormat.Json })
        {
            // Opening a FIFO without a writer blocks forever: the guard makes a regression fail instead of hang.
            var read = CorpusTestFiles.FailAsync(fifo, format);
            var ex = await read.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
            Assert.Contains("pass -", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AStreamIsReadWithAnExplicitFormatAndNamedInErrors()
    {
        var good = new MemoryStream("{\"id\": \"s1\", \"abstract\": \"from a pipe\"}\n"u8.ToArray());
        var documents = new List<Document>();
        await foreach (var d in CorpusReader.ReadAsync(good, "stdin", new CorpusReadOptions { Format = CorpusFormat.Json }))
        {
            documents.Add(d);
        }

        var document = Assert.Single(documents);
        Assert.Equal(("s1", "stdin"), (document.Id, document.Source));

        var bad = new MemoryStream("{\"abstract\": \"x\"\n"u8.ToArray());
        var ex = await Assert.ThrowsAsync<CorpusFormatException>(async () =>
        {
            await foreach (var _ in CorpusReader.ReadAsync(bad, "stdin", new CorpusReadOptions { Format = CorpusFormat.Json }))
            {
            }
        });
        Assert.StartsWith("stdin, line 1", ex.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() =>
            CorpusReader.ReadAsync(new MemoryStream(), "stdin", new CorpusReadOptions()).GetAsyncEnumerator().MoveNextAsync().AsTask().GetAwaiter().GetResult());
    }
}
