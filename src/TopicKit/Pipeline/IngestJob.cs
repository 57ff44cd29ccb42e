using System.Runtime.CompilerServices;
using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>One input of an ingestion: a file, a stream, or an argument already known to name none (a glob matching nothing).</summary>
/// <param name="Path">The file (or the stream's name, or the argument when <paramref name="Error"/> is set).</param>
/// <param name="Error">Why this input cannot be read; it is then reported as failed without being opened.</param>
public sealed record IngestInput(string Path, string? Error = null)
{
    /// <summary>Opens the content instead of the file <see cref="Path"/> (e.g. standard input, read once: the format
    /// must then be given, not detected); null (default) reads the file.</summary>
    public Func<Stream>? Open { get; init; }
}

/// <summary>What to ingest, where, and under which transaction policy.</summary>
/// <param name="Workspace">The workspace folder; created when missing.</param>
/// <param name="Inputs">The inputs, in order.</param>
public sealed record IngestRequest(string Workspace, IReadOnlyList<IngestInput> Inputs)
{
    /// <summary>How files are read (format, CSV columns, record size cap); default: detected format, columns by name.</summary>
    public CorpusReadOptions Read { get; init; } = new();

    /// <summary>False (default): one transaction per file, so a failing file writes nothing while the others are
    /// committed. True: one transaction for everything, so any failure writes nothing at all.</summary>
    public bool Atomic { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Progress of an ingestion: the file being read and the records read from it so far.</summary>
/// <param name="FileIndex">0-based index of the input.</param>
/// <param name="Path">Its path.</param>
/// <param name="Records">Records read from it so far.</param>
public sealed record IngestProgress(int FileIndex, string Path, int Records);

/// <summary>What happened to one input.</summary>
public enum IngestFileStatus
{
    /// <summary>Read and committed.</summary>
    Ingested,

    /// <summary>Not readable as a corpus (or missing); nothing from it was written.</summary>
    Failed,

    /// <summary>Read, then rolled back because another input of an atomic ingestion failed.</summary>
    RolledBack,

    /// <summary>Being read when the ingestion was cancelled; nothing from it was written.</summary>
    Cancelled,

    /// <summary>Not reached (an earlier failure stopped the ingestion).</summary>
    NotStarted,
}

/// <summary>One input's outcome.</summary>
/// <param name="Path">The input's path.</param>
/// <param name="Status">What happened to it.</param>
/// <param name="Result">What its transaction did, when it was ingested.</param>
/// <param name="Error">Why it failed, was rolled back or cancelled (one line, naming the file).</param>
public sealed record IngestFileOutcome(string Path, IngestFileStatus Status, IngestResult? Result, string? Error);

/// <summary>The outcome of one ingestion.</summary>
/// <param name="Workspace">The workspace folder (absolute).</param>
/// <param name="Atomic">Whether it ran as one transaction.</param>
/// <param name="Files">One outcome per input, in order.</param>
/// <param name="Duplicates">Exact-duplicate groups (ids in ingestion order) holding a record of the ingested files.</param>
/// <param name="Documents">Documents in the workspace afterwards.</param>
/// <param name="Fatal">A workspace failure that stopped the ingestion (the workspace became unusable), if any.</param>
public sealed record IngestReport(
    string Workspace,
    bool Atomic,
    IReadOnlyList<IngestFileOutcome> Files,
    IReadOnlyList<IReadOnlyList<string>> Duplicates,
    int Documents,
    Exception? Fatal)
{
    /// <summary>Records read from the ingested files.</summary>
    public int Read => Files.Sum(f => f.Result?.Read ?? 0);

    /// <summary>Records stored as new documents.</summary>
    public int Added => Files.Sum(f => f.Result?.Added ?? 0);

    /// <summary>Records already present.</summary>
    public int Skipped => Files.Sum(f => f.Result?.Skipped ?? 0);

    /// <summary>Inputs that failed.</summary>
    public int Failed => Files.Count(f => f.Status == IngestFileStatus.Failed);

    /// <summary>Whether the ingestion was cancelled.</summary>
    public bool Cancelled => Files.Any(f => f.Status == IngestFileStatus.Cancelled);
}

/// <summary>
/// The ingest stage: reads corpus files into a workspace under the documented transaction policy (see
/// <see cref="IngestRequest.Atomic"/>). A bad input is reported in its outcome, not thrown; cancellation rolls back the
/// file being read (files committed before stay) and is reported as <see cref="IngestFileStatus.Cancelled"/>.
/// </summary>
public static class IngestJob
{
    /// <summary>Runs the ingestion.</summary>
    /// <param name="request">What to ingest.</param>
    /// <param name="progress">Receives the file being read and its record count (every 64 records).</param>
    /// <param name="cancellationToken">Stops the ingestion; the file being read is rolled back.</param>
    /// <exception cref="WorkspaceException">The workspace cannot be opened (locked, damaged, newer schema).</exception>
    public static async Task<IngestReport> RunAsync(
        IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var workspace = Workspace.Open(request.Workspace, new WorkspaceOptions(LockTimeout: request.LockTimeout));
        var outcomes = request.Inputs
            .Select(i => new IngestFileOutcome(i.Path, i.Error is null ? IngestFileStatus.NotStarted : IngestFileStatus.Failed, null, i.Error))
            .ToList();
        Exception? fatal = null;
        if (!request.Atomic)
        {
            fatal = await RunPerFileAsync(workspace, request.Inputs, outcomes, request.Read, progress, cancellationToken).ConfigureAwait(false);
        }
        else if (outcomes.All(o => o.Status != IngestFileStatus.Failed))
        {
            fatal = await RunAtomicAsync(workspace, request.Inputs, outcomes, request.Read, progress, cancellationToken).ConfigureAwait(false);
        }

        var ids = outcomes.Where(o => o.Result is not null).SelectMany(o => o.Result!.DocumentIds);
        return new IngestReport(
            workspace.Directory, request.Atomic, outcomes, workspace.Documents.GetDuplicateGroups(ids), workspace.Documents.Count(), fatal);
    }

    private static async Task<Exception?> RunPerFileAsync(
        Workspace workspace, IReadOnlyList<IngestInput> inputs, List<IngestFileOutcome> outcomes, CorpusReadOptions read, IProgress<IngestProgress>? progress,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            var path = outcomes[i].Path;
            if (outcomes[i].Status != IngestFileStatus.NotStarted)
            {
                continue;
            }

            try
            {
                var documents = Track(Read(inputs[i], read, cancellationToken), i, path, progress, null);
                var result = await workspace.IngestAsync(documents, path, cancellationToken).ConfigureAwait(false);
                outcomes[i] = outcomes[i] with { Status = IngestFileStatus.Ingested, Result = result };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = outcomes[i] with { Status = IngestFileStatus.Cancelled, Error = $"{path}: cancelled; nothing from this file was written" };
                return null;
            }
            catch (WorkspaceException ex)
            {
                outcomes[i] = outcomes[i] with { Status = IngestFileStatus.Failed, Error = ex.Message };
                return ex;
            }
            catch (Exception ex) when (IsInputError(ex))
            {
                outcomes[i] = outcomes[i] with { Status = IngestFileStatus.Failed, Error = OneLine(ex.Message) };
            }
        }

        return null;
    }

    private static async Task<Exception?> RunAtomicAsync(
        Workspace workspace, IReadOnlyList<IngestInput> inputs, List<IngestFileOutcome> outcomes, CorpusReadOptions read, IProgress<IngestProgress>? progress,
        CancellationToken cancellationToken)
    {
        var current = new StrongBox<int>(-1);
        var sources = outcomes
            .Select((o, i) => (Track(Read(inputs[i], read, cancellationToken), i, o.Path, progress, current), (string?)o.Path))
            .ToList();
        try
        {
            var results = await workspace.IngestAllAsync(sources, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < outcomes.Count; i++)
            {
                outcomes[i] = outcomes[i] with { Status = IngestFileStatus.Ingested, Result = results[i] };
            }

            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is WorkspaceException || IsInputError(ex))
        {
            var cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            for (var i = 0; i < outcomes.Count; i++)
            {
                outcomes[i] = i < current.Value ? outcomes[i] with { Status = IngestFileStatus.RolledBack, Error = "rolled back with the other files (atomic ingestion)" }
                    : i == current.Value ? outcomes[i] with { Status = cancelled ? IngestFileStatus.Cancelled : IngestFileStatus.Failed, Error = OneLine(ex.Message) }
                    : outcomes[i];
            }

            return ex is WorkspaceException || (ex is OperationCanceledException && !cancelled) ? ex : null;
        }
    }

    private static IAsyncEnumerable<Document> Read(IngestInput input, CorpusReadOptions read, CancellationToken cancellationToken) =>
        input.Open is { } open
            ? CorpusReader.ReadAsync(open(), input.Path, read, cancellationToken)
            : CorpusReader.ReadAsync(input.Path, read, cancellationToken);

    private static bool IsInputError(Exception ex) =>
        ex is CorpusFormatException or IOException or UnauthorizedAccessException or InvalidDataException;

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async IAsyncEnumerable<Document> Track(
        IAsyncEnumerable<Document> documents, int fileIndex, string path, IProgress<IngestProgress>? progress, StrongBox<int>? current,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var count = 0;
        current?.Value = fileIndex;
        progress?.Report(new IngestProgress(fileIndex, path, 0));
        await foreach (var document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return document;
            if ((++count & 63) == 0)
            {
                progress?.Report(new IngestProgress(fileIndex, path, count));
            }
        }

        progress?.Report(new IngestProgress(fileIndex, path, count));
    }
}
