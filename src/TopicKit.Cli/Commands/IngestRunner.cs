using System.Runtime.CompilerServices;
using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;


/// <summary>What happened to one input of <c>topickit ingest</c>.</summary>
internal static class FileStatus
{
    public const string Ingested = "ingested";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";
    public const string Cancelled = "cancelled";
    public const string NotStarted = "not-started";
}

/// <summary>One input's outcome; <paramref name="Result"/> is set when it was ingested.</summary>
internal sealed record FileOutcome(string Path, string Status, IngestResult? Result, string? Error);

/// <summary>The outcome of one <c>ingest</c> (or the ingest step of <c>run</c>).</summary>
internal sealed record IngestReport(
    string Workspace,
    bool Atomic,
    IReadOnlyList<FileOutcome> Files,
    IReadOnlyList<IReadOnlyList<string>> Duplicates,
    int Documents,
    Exception? Fatal)
{
    public int Read => Files.Sum(f => f.Result?.Read ?? 0);

    public int Added => Files.Sum(f => f.Result?.Added ?? 0);

    public int Skipped => Files.Sum(f => f.Result?.Skipped ?? 0);

    public int Failed => Files.Count(f => f.Status == FileStatus.Failed);

    public bool Cancelled => Files.Any(f => f.Status == FileStatus.Cancelled);

    public int ExitCode =>
        Fatal is not null ? CliSupport.ExitCode(Fatal)
        : Cancelled ? ExitCodes.Cancelled
        : Failed > 0 ? ExitCodes.BadInput
        : ExitCodes.Ok;
}

/// <summary>
/// Ingests files into a workspace under the documented policy. Default: each file is its own transaction, so a file
/// that fails (bad format, unreadable, missing) is rolled back entirely and reported while the other files are
/// committed. With <c>atomic</c>, all files share one transaction: any failure writes nothing at all.
/// Cancellation rolls back the file being read; files committed before stay.
/// </summary>
internal static class IngestRunner
{
    /// <summary>Progress callback: file index, file path, records read so far from it.</summary>
    public delegate void ProgressHandler(int fileIndex, string path, int records);

    public static async Task<IngestReport> RunAsync(
        Workspace workspace,
        IReadOnlyList<InputFiles.Expansion> inputs,
        CorpusFormat format,
        bool atomic,
        ProgressHandler? progress,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<FileOutcome>();
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (input.Error is not null)
            {
                outcomes.Add(new FileOutcome(input.Argument, FileStatus.Failed, null, input.Error));
            }

            foreach (var file in input.Files)
            {
                outcomes.Add(new FileOutcome(file, FileStatus.NotStarted, null, null));
                files.Add(file);
            }
        }

        Exception? fatal = null;
        if (atomic)
        {
            if (outcomes.All(o => o.Status != FileStatus.Failed))
            {
                fatal = await RunAtomicAsync(workspace, outcomes, format, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            fatal = await RunPerFileAsync(workspace, outcomes, format, progress, cancellationToken).ConfigureAwait(false);
        }
        var ids = outcomes.Where(o => o.Result is not null).SelectMany(o => o.Result!.DocumentIds);
        return new IngestReport(
            workspace.Directory, atomic, outcomes, workspace.Documents.GetDuplicateGroups(ids), workspace.Documents.Count(), fatal);
    }

    private static async Task<Exception?> RunPerFileAsync(
        Workspace workspace, List<FileOutcome> outcomes, CorpusFormat format, ProgressHandler? progress, CancellationToken cancellationToken)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            var path = outcomes[i].Path;
            if (outcomes[i].Status != FileStatus.NotStarted)
            {
                continue;
            }

            try
            {
                var documents = Track(Read(path, format, cancellationToken), i, path, progress);
                var result = await workspace.IngestAsync(documents, path, cancellationToken).ConfigureAwait(false);
                outcomes[i] = outcomes[i] with { Status = FileStatus.Ingested, Result = result };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = outcomes[i] with { Status = FileStatus.Cancelled, Error = $"{path}: cancelled; nothing from this file was written" };
                return null;
            }
            catch (WorkspaceException ex)
            {
                outcomes[i] = outcomes[i] with { Status = FileStatus.Failed, Error = ex.Message };
                return ex;
            }
            catch (Exception ex) when (IsInputError(ex))
            {
                outcomes[i] = outcomes[i] with { Status = FileStatus.Failed, Error = CliSupport.OneLine(ex.Message) };
            }
        }

        return null;
    }

    private static async Task<Exception?> RunAtomicAsync(
        Workspace workspace, List<FileOutcome> outcomes, CorpusFormat format, ProgressHandler? progress, CancellationToken cancellationToken)
    {
        var current = -1;
        var sources = outcomes
            .Select((o, i) => (Track(Read(o.Path, format, cancellationToken), i, o.Path, (f, p, r) =>
            {
                current = f;
                progress?.Invoke(f, p, r);
            }), (string?)o.Path))
            .ToList();
        try
        {
            var results = await workspace.IngestAllAsync(sources, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < outcomes.Count; i++)
            {
                outcomes[i] = outcomes[i] with { Status = FileStatus.Ingested, Result = results[i] };
            }

            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is WorkspaceException || IsInputError(ex))
        {
            var cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            for (var i = 0; i < outcomes.Count; i++)
            {
                outcomes[i] = i < current ? outcomes[i] with { Status = FileStatus.RolledBack, Error = "rolled back (--atomic)" }
                    : i == current ? outcomes[i] with { Status = cancelled ? FileStatus.Cancelled : FileStatus.Failed, Error = CliSupport.OneLine(ex.Message) }
                    : outcomes[i];
            }

            return ex is WorkspaceException || (ex is OperationCanceledException && !cancelled) ? ex : null;
        }
    }

    /// <summary>The records of one input; <c>-</c> is standard input, read once with the given format.</summary>
    private static IAsyncEnumerable<Document> Read(string path, CorpusFormat format, CancellationToken cancellationToken) =>
        path == InputFiles.StandardInput
            ? CorpusReader.ReadAsync(Console.OpenStandardInput(), "stdin", new CorpusReadOptions { Format = format }, cancellationToken)
            : CorpusReader.ReadAsync(path, format, null, cancellationToken);

    private static bool IsInputError(Exception ex) =>
        ex is CorpusFormatException or IOException or UnauthorizedAccessException or InvalidDataException;

    private static async IAsyncEnumerable<Document> Track(
        IAsyncEnumerable<Document> documents, int fileIndex, string path, ProgressHandler? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var count = 0;
        progress?.Invoke(fileIndex, path, 0);
        await foreach (var document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return document;
            if ((++count & 63) == 0)
            {
                progress?.Invoke(fileIndex, path, count);
            }
        }

        progress?.Invoke(fileIndex, path, count);
    }
}
