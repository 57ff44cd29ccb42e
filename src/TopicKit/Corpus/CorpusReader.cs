using System.Runtime.CompilerServices;

namespace TopicKit.Corpus;

/// <summary>
/// Entry point for reading paper corpora: detects the format of a file and streams its records as
/// <see cref="Document"/>s.
/// </summary>
/// <remarks>
/// Every reader streams (constant memory in the file size, bounded by <see cref="CorpusReadOptions.MaxRecordChars"/>
/// per record) and normalises text with <see cref="TextNormalizer"/>. Ids: the record's own id when the format has
/// one (arXiv id, BibTeX key, <c>id</c> column or field), otherwise a 16-hex-digit hash of the file name and the
/// folded title and abstract. An id repeated within one file gets <c>~2</c>, <c>~3</c>, ... in order of appearance.
/// <see cref="Document.Source"/> is the file name and <see cref="Document.Position"/> the 0-based record index.
/// Every problem with the input (empty, binary, invalid UTF-8, truncated, missing columns, oversized lines) is a
/// <see cref="CorpusFormatException"/> with a one-line message naming the file and line or record.
/// </remarks>
public static class CorpusReader
{
    /// <summary>
    /// Detects the format of a file from its first 64 KiB, using the extension only to break ties. Rules, first
    /// match wins: first non-blank character <c>{</c> or <c>[</c> → <see cref="CorpusFormat.Json"/>; a line starting
    /// <c>@type{</c> → <see cref="CorpusFormat.Bibtex"/>; <c>·</c> lines with <c>• N authors</c> lines or the
    /// "Daily Papers" chrome → <see cref="CorpusFormat.HfDailyPapers"/>; first non-blank line starting
    /// <c>Abstract:</c> or <c>Title:</c> → <see cref="CorpusFormat.AbstractLines"/>; first line like
    /// <c>77.1LGMay 16</c> → <see cref="CorpusFormat.PublicationList"/>; a first line naming an abstract/title-like
    /// column, or a .csv/.tsv/.tab extension → <see cref="CorpusFormat.Tsv"/> (more tabs than commas, or a .tsv/.tab
    /// extension) or <see cref="CorpusFormat.Csv"/>; otherwise <see cref="CorpusFormat.PlainText"/>.
    /// </summary>
    /// <exception cref="CorpusFormatException">The file is empty, binary, or not valid UTF-8 near its start.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CorpusFormat Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireRegularFile(path);
        return FormatDetector.Detect(path);
    }

    /// <summary>Streams the documents of a file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="format">The format, or <see cref="CorpusFormat.Auto"/> to detect it.</param>
    /// <param name="columns">CSV/TSV column overrides; ignored by other formats.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public static IAsyncEnumerable<Document> ReadAsync(string path, CorpusFormat format = CorpusFormat.Auto,
        CsvColumnMap? columns = null, CancellationToken cancellationToken = default) =>
        ReadAsync(path, new CorpusReadOptions { Format = format, Columns = columns }, cancellationToken);

    /// <summary>Streams the documents of a file with full options.</summary>
    /// <exception cref="CorpusFormatException">The file cannot be read as a corpus (raised during enumeration).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async IAsyncEnumerable<Document> ReadAsync(string path, CorpusReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRecordChars < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRecordChars, "MaxRecordChars must be at least 1024.");
        }

        RequireRegularFile(path);
        var format = options.Format == CorpusFormat.Auto ? FormatDetector.Detect(path) : options.Format;
        await using var lines = new LineReader(path, options.MaxRecordChars);
        await foreach (var document in ReadLinesAsync(lines, path, format, options, cancellationToken).ConfigureAwait(false))
        {
            yield return document;
        }
    }

    /// <summary>
    /// Streams the documents of a non-seekable source such as standard input, read once from start to end. The format
    /// must be given: detection would need to read the content twice.
    /// </summary>
    /// <param name="stream">The source; it is disposed when the enumeration ends.</param>
    /// <param name="name">The name used as <see cref="Document.Source"/> and in error messages (e.g. <c>stdin</c>).</param>
    /// <param name="options">Read options; <see cref="CorpusReadOptions.Format"/> must not be <see cref="CorpusFormat.Auto"/>.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <exception cref="ArgumentException">The format is <see cref="CorpusFormat.Auto"/>.</exception>
    public static async IAsyncEnumerable<Document> ReadAsync(Stream stream, string name, CorpusReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Format == CorpusFormat.Auto)
        {
            throw new ArgumentException($"{name}: reading a stream needs an explicit format (e.g. --format jsonl); it cannot be detected.", nameof(options));
        }

        await using var lines = new LineReader(stream, name, options.MaxRecordChars);
        await foreach (var document in ReadLinesAsync(lines, name, options.Format, options, cancellationToken).ConfigureAwait(false))
        {
            yield return document;
        }
    }

    /// <summary>
    /// Refuses what is not a regular file before anything opens it: opening a FIFO blocks until a writer appears,
    /// and a device such as /dev/zero never ends. Both report a size of 0, as does an empty file, which is refused too.
    /// </summary>
    private static void RequireRegularFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0 && (info.Attributes & FileAttributes.Directory) == 0)
        {
            throw new CorpusFormatException(path, null, null,
                "the file is empty (0 bytes), or it is not a regular file (a pipe, FIFO or device, which are not read because they can block forever)",
                "pass a regular file that contains paper records; to read a pipe, pass - and --format to read standard input");
        }
    }

    private static async IAsyncEnumerable<Document> ReadLinesAsync(LineReader lines, string path, CorpusFormat format,
        CorpusReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (options.MaxRecordChars < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRecordChars, "MaxRecordChars must be at least 1024.");
        }

        var context = new ReadContext(path, options);
        var factory = new DocumentFactory(context);
        var drafts = format switch
        {
            CorpusFormat.HfDailyPapers => HfDailyPapersReader.ReadAsync(lines, context, cancellationToken),
            CorpusFormat.PublicationList => PublicationListReader.ReadAsync(lines, context, cancellationToken),
            CorpusFormat.AbstractLines => AbstractLinesReader.ReadAsync(lines, context, cancellationToken),
            CorpusFormat.Json => JsonCorpusReader.ReadAsync(lines, context, cancellationToken),
            CorpusFormat.Csv => DelimitedReader.ReadAsync(lines, context, ',', cancellationToken),
            CorpusFormat.Tsv => DelimitedReader.ReadAsync(lines, context, '\t', cancellationToken),
            CorpusFormat.Bibtex => BibtexReader.ReadAsync(lines, context, cancellationToken),
            CorpusFormat.PlainText => PlainTextReader.ReadAsync(lines, context, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), format, "Unknown corpus format."),
        };

        await foreach (var draft in drafts.ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return factory.Create(draft);
        }

        if (context.Produced == 0)
        {
            throw new CorpusFormatException(path, lines.LineNumber == 0 ? null : lines.LineNumber, null,
                lines.LineNumber == 0 ? "the file is empty" : $"no records found when reading it as {format}",
                lines.LineNumber == 0 ? "pass a file that contains paper records" : "check the file content or choose the format explicitly");
        }
    }

    /// <summary>Reads a whole file into a list (convenience for small files and tests).</summary>
    public static async Task<List<Document>> ReadAllAsync(string path, CorpusReadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = new List<Document>();
        await foreach (var d in ReadAsync(path, options ?? new CorpusReadOptions(), cancellationToken).ConfigureAwait(false))
        {
            list.Add(d);
        }

        return list;
    }
}
