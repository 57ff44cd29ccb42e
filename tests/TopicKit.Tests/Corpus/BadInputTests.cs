using System.Text;
using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>Every kind of bad input ends in a one-line <see cref="CorpusFormatException"/> naming the file and place.</summary>
public sealed class BadInputTests : CorpusFileTests
{
    [Theory]
    [InlineData(CorpusFormat.Auto)]
    [InlineData(CorpusFormat.Csv)]
    [InlineData(CorpusFormat.Json)]
    [InlineData(CorpusFormat.PlainText)]
    public async Task EmptyFileIsReported(CorpusFormat format)
    {
        var path = Files.Write("empty.csv", string.Empty);
        var ex = await CorpusTestFiles.FailAsync(path, format);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<CorpusFormatException>(() => CorpusReader.Detect(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhitespaceOnlyFileIsReported()
    {
        var path = Files.Write("blank.txt", "\n  \n\t\n");
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CorpusFormat.Auto)]
    [InlineData(CorpusFormat.Csv)]
    [InlineData(CorpusFormat.Bibtex)]
    public async Task BinaryFileIsReportedWithTheLine(CorpusFormat format)
    {
        var bytes = Encoding.UTF8.GetBytes("title,abstract\nok,fine\n").Concat(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF }).ToArray();
        var path = Files.WriteBytes("archive.csv", bytes);
        var ex = await CorpusTestFiles.FailAsync(path, format);
        Assert.Equal(3, ex.Line);
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8NamesTheLineEvenFarBeyondTheDetectionSample()
    {
        // 5,000 good lines (about 300 kB, beyond the 64 KiB detection sample), then Latin-1 "é" on line 5,002.
        var sb = new StringBuilder("Abstract: first\n");
        for (var i = 0; i < 5000; i++)
        {
            sb.Append("Abstract: line number ").Append(i).Append(" is plain ASCII text here.\n");
        }

        var good = Encoding.UTF8.GetBytes(sb.ToString());
        var bad = good.Concat(Encoding.Latin1.GetBytes("Abstract: caf\u00E9 au lait\n")).ToArray();
        var path = Files.WriteBytes("latin1.txt", bad);
        Assert.Equal(CorpusFormat.AbstractLines, CorpusReader.Detect(path));
        var ex = await CorpusTestFiles.FailAsync(path);
        Assert.Equal(5002, ex.Line);
        Assert.Contains("invalid UTF-8 (byte 0xE9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("iconv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8InTheSampleFailsDetectionWithTheLine()
    {
        var path = Files.WriteBytes("bad.txt", [.. "line one\nline two\n"u8, 0xC3, 0x28, .. "\n"u8]);
        var ex = Assert.Throws<CorpusFormatException>(() => CorpusReader.Detect(path));
        Assert.Equal(3, ex.Line);
        Assert.Contains("invalid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf16FileIsReported()
    {
        var path = Files.WriteBytes("utf16.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("title,abstract\nT,A\n")]);
        var ex = await CorpusTestFiles.FailAsync(path, CorpusFormat.Csv);
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8ByteOrderMarkIsSkipped()
    {
        var path = Files.WriteBytes("bom.csv", [0xEF, 0xBB, 0xBF, .. "title,abstract\nT,A\n"u8]);
        var doc = Assert.Single(await CorpusTestFiles.ReadAsync(path));
        Assert.Equal("T", doc.Title);
    }

    [Fact]
    public async Task HugeSingleLineJsonIsRejectedToo()
    {
        var path = Files.Write("huge.jsonl", "{\"abstract\": \"" + new string('b', 300_000) + "\"}\n");
        var ex = await CorpusTestFiles.FailAsync(path, options: new CorpusReadOptions { MaxRecordChars = 100_000 });
        Assert.Equal(1, ex.Line);
        Assert.Contains("longer than the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFileIsFileNotFound()
    {
        var path = Path.Combine(Files.Root, "nope.csv");
        Assert.Throws<FileNotFoundException>(() => CorpusReader.Detect(path));
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await CorpusReader.ReadAllAsync(path, new CorpusReadOptions { Format = CorpusFormat.Csv }));
    }

    [Fact]
    public async Task CancellationStopsTheStream()
    {
        var path = Files.Write("many.txt", string.Concat(Enumerable.Range(0, 100).Select(i => $"Abstract: number {i}\n")));
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in CorpusReader.ReadAsync(path, cancellationToken: cts.Token))
            {
                if (++seen == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(3, seen);
    }

    [Fact]
    public void MessagesAreOneLineAndNameEverything()
    {
        var ex = new CorpusFormatException("dir/file.csv", 12, 3, "bad\nthing.", "fix it\r\nplease");
        Assert.Equal("dir/file.csv, line 12, record 3: bad thing. Fix it  please.", ex.Message);
        Assert.Equal(12, ex.Line);
        Assert.Equal(3, ex.Record);
    }
}

/// <summary>
/// Runs alone (no parallel tests) because it measures process-wide allocations while reading a 50 MB line.
/// </summary>
[Collection(nameof(SerialCorpusCollection))]
public sealed class HugeLineTests : CorpusFileTests
{
    [Fact]
    public async Task FiftyMegabyteSingleLineIsRejectedWithBoundedMemory()
    {
        var path = Path.Combine(Files.Root, "huge.txt");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            stream.Write("Abstract: "u8);
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            for (var i = 0; i < 50; i++)
            {
                stream.Write(chunk);
            }

            stream.Write("\n"u8);
        }

        Assert.True(new FileInfo(path).Length > 50_000_000);
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var ex = await CorpusTestFiles.FailAsync(path);
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        Assert.Equal(1, ex.Line);
        Assert.Contains("longer than the limit of 8,388,608 characters", ex.Message, StringComparison.Ordinal);
        // Buffering the whole line as UTF-16 would take 100 MB; the cap stops well before that.
        Assert.True(allocated < 80_000_000, $"allocated {allocated:N0} bytes");
        File.Delete(path);
    }
}

/// <summary>Tests in this collection run after the parallel ones, alone.</summary>
[CollectionDefinition(nameof(SerialCorpusCollection), DisableParallelization = true)]
public sealed class SerialCorpusCollection;
