using System.Diagnostics;
using System.Globalization;
using TopicKit.Corpus;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>Where to look for near-duplicates, how, and where the pairs go.</summary>
/// <param name="Options">The method and its thresholds (see <see cref="DuplicateFinder.Find"/>).</param>
public sealed record DuplicatesRequest(DuplicateOptions Options)
{
    /// <summary>The workspace folder: its documents (texts, metadata, exact duplicates) and, unless
    /// <see cref="Embeddings"/> is set, its stored vectors. Null: no workspace (only with <see cref="Embeddings"/> and
    /// the semantic method).</summary>
    public string? Workspace { get; init; }

    /// <summary>A matrix file (<c>.npy</c> or numeric <c>.csv</c>) whose rows are searched instead of the workspace's
    /// vectors; with a workspace it must have one row per document, in stored order.</summary>
    public string? Embeddings { get; init; }

    /// <summary>Which stored vectors (see <see cref="ModelSelection.ResolveStored"/>); null: the model with the most
    /// vectors. Only with a workspace and without <see cref="Embeddings"/>.</summary>
    public string? Model { get; init; }

    /// <summary>The CSV of pairs to write (<see cref="DuplicateReportCsv"/>), replaced atomically; null: none.</summary>
    public string? Output { get; init; }

    /// <summary>The installed-models folder, for resolving a stored model by registry name; null for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What a duplicate search found.</summary>
/// <param name="Report">The groups, their pairs and the settings that ran.</param>
/// <param name="Options">The options searched with (thresholds as used).</param>
/// <param name="Documents">The workspace's documents in stored order (row i is document i); null without a workspace,
/// when rows are named by their 0-based number.</param>
/// <param name="Output">The CSV written (absolute), if any.</param>
/// <param name="Elapsed">Wall time, reading included.</param>
public sealed record DuplicatesResult(DuplicateReport Report, DuplicateOptions Options, IReadOnlyList<Document>? Documents, string? Output, TimeSpan Elapsed)
{
    /// <summary>The document id of each row, or null when rows are matrix rows without documents.</summary>
    public IReadOnlyList<string>? Ids { get; } = Documents?.Select(d => d.Id).ToArray();

    /// <summary>How row <paramref name="row"/> is named: its document id, or its 0-based number.</summary>
    public string Name(int row) => Ids is null ? row.ToString(CultureInfo.InvariantCulture) : Ids[row];
}

/// <summary>
/// The duplicates stage: reads the workspace's documents and exact-duplicate groups, the vectors the method needs (stored
/// ones or a matrix file), finds the near-duplicate groups and writes the pairs' CSV atomically. Reads only: the
/// workspace is never changed.
/// </summary>
public static class DuplicatesJob
{
    /// <summary>Runs the search.</summary>
    /// <param name="request">Where and how to search.</param>
    /// <param name="progress">Receives one line per stage.</param>
    /// <param name="cancellationToken">Stops the search; nothing is written.</param>
    /// <exception cref="ArgumentException">A threshold outside [0, 1] or a non-positive count (the parameter names the
    /// option property), a combination of inputs that does not fit the method (it names <c>Model</c> or
    /// <c>Workspace</c>), or a matrix whose rows are not the workspace's documents (<c>Embeddings</c>).</exception>
    /// <exception cref="InvalidDataException">An empty workspace, no stored vectors for a semantic search, or a damaged
    /// matrix or one holding NaN or an infinity (the message names the row).</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static DuplicatesResult Run(DuplicatesRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options ?? throw new ArgumentNullException(nameof(request), "Options is required.");
        // Settings are checked before anything is read, so a typo costs no I/O.
        options.Validate();
        var needsVectors = options.Method != DuplicateMethod.Lexical;
        if (request.Embeddings is not null && request.Model is not null)
        {
            throw new ArgumentException("Model picks stored workspace vectors; it cannot be combined with a matrix file.", nameof(DuplicatesRequest.Model));
        }

        if (request.Workspace is null && (request.Embeddings is null || !needsVectors))
        {
            throw new ArgumentException(
                needsVectors ? "give a Workspace or a matrix file to search"
                : "the lexical method compares the documents' texts; it needs a Workspace, not a bare matrix.",
                nameof(DuplicatesRequest.Workspace));
        }

        var clock = Stopwatch.StartNew();
        using var workspace = request.Workspace is null
            ? null
            : Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        IReadOnlyList<Document>? documents = null;
        IReadOnlyList<IReadOnlyList<int>>? exact = null;
        if (workspace is not null)
        {
            progress?.Report("reading documents from workspace " + workspace.Directory);
            documents = workspace.Documents.List();
            if (documents.Count == 0)
            {
                throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILES` first.");
            }

            exact = ExactGroupRows(workspace, documents);
        }

        Matrix? vectors = null;
        if (request.Embeddings is not null)
        {
            var path = Path.GetFullPath(request.Embeddings);
            progress?.Report("reading " + path);
            vectors = ReadFinite(path);
            if (documents is not null && documents.Count != vectors.Rows)
            {
                throw new ArgumentException(
                    $"{path} has {vectors.Rows} rows but workspace {workspace!.Directory} has {documents.Count} documents; "
                    + "with a workspace the rows must be the documents in stored order.",
                    nameof(DuplicatesRequest.Embeddings));
            }
        }
        else if (needsVectors)
        {
            progress?.Report("reading embeddings from workspace " + workspace!.Directory);
            var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
            vectors = ClusterInput.FromWorkspace(workspace!, request.Model, options.Text, store).Vectors;
        }

        progress?.Report("searching " + options.Method.ToString().ToLowerInvariant() + " duplicates");
        var report = DuplicateFinder.Find(documents, vectors, options, exact, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var output = request.Output is null ? null : Path.GetFullPath(request.Output);
        if (output is not null)
        {
            var ids = documents?.Select(d => d.Id).ToArray();
            AtomicFile.Write(output, path =>
            {
                using var writer = new StreamWriter(path);
                DuplicateReportCsv.Write(writer, report, ids);
            });
        }

        return new DuplicatesResult(report, options, documents, output, clock.Elapsed);
    }

    /// <summary>
    /// The workspace's exact-duplicate groups (found at ingestion) as row numbers of <paramref name="documents"/> (the
    /// workspace's documents, or some of them, in stored order): the form <see cref="DuplicateFinder.Find"/> takes.
    /// Members outside <paramref name="documents"/> are left out, and so are groups left with fewer than two.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> ExactGroupRows(Workspace workspace, IReadOnlyList<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(documents);
        var rowOf = new Dictionary<string, int>(documents.Count, StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            rowOf[documents[i].Id] = i;
        }

        // Documents outside the given list (a run over part of the workspace) are left out, and so is a group left with one.
        return [.. workspace.Documents.GetDuplicateGroups()
            .Select(g => (IReadOnlyList<int>)[.. g.Where(rowOf.ContainsKey).Select(id => rowOf[id])])
            .Where(g => g.Count >= 2)];
    }

    /// <summary>Reads a matrix and names the first row holding NaN or an infinity, with the advice that fits a
    /// duplicate search (the row is a document that has no usable vector).</summary>
    private static Matrix ReadFinite(string path)
    {
        var matrix = MatrixInput.ReadUnchecked(path);
        if (matrix.FirstNonFinite() is { } bad)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: row {bad.Row} holds {bad.Value} (column {bad.Column}); drop or re-embed that row before searching for duplicates."));
        }

        return matrix;
    }
}
