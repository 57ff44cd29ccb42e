using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>A page of the workspace's documents, in ingestion order.</summary>
/// <param name="Workspace">The workspace folder; it must exist.</param>
public sealed record DocsListRequest(string Workspace)
{
    /// <summary>Documents to skip first, at least 0 (default 0).</summary>
    public int Offset { get; init; }

    /// <summary>Most documents to return, at least 0 (default: all).</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A page of documents.</summary>
/// <param name="Documents">The documents of the page, in ingestion order.</param>
/// <param name="Offset">Documents skipped before the page.</param>
/// <param name="Total">Documents in the workspace.</param>
public sealed record DocsListResult(IReadOnlyList<Document> Documents, int Offset, int Total)
{
    /// <summary>Whether documents follow the page.</summary>
    public bool HasMore => Offset + Documents.Count < Total;
}

/// <summary>One document of the workspace.</summary>
/// <param name="Workspace">The workspace folder; it must exist.</param>
/// <param name="Id">The document's id (as listed).</param>
public sealed record DocShowRequest(string Workspace, string Id)
{
    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>One stored document.</summary>
/// <param name="Document">The document.</param>
/// <param name="OriginalId">The id its source gave it, when ingestion renamed it to keep ids unique; else null.</param>
public sealed record DocShowResult(Document Document, string? OriginalId);

/// <summary>The corpus statistics of a workspace.</summary>
/// <param name="Workspace">The workspace folder; it must exist.</param>
public sealed record DocsStatsRequest(string Workspace)
{
    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The document views of a workspace: a page of documents (<see cref="List"/>), one document (<see cref="Show"/>) and
/// corpus statistics (<see cref="Stats"/>). Each reads only.
/// </summary>
public static class DocsJob
{
    /// <summary>A page of documents in ingestion order.</summary>
    /// <param name="request">The workspace and the page.</param>
    /// <param name="cancellationToken">Stops before reading.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative <see cref="DocsListRequest.Offset"/> or <see cref="DocsListRequest.Limit"/>.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static DocsListResult List(DocsListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.Offset, nameof(DocsListRequest.Offset));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Limit, nameof(DocsListRequest.Limit));
        using var workspace = Open(request.Workspace, request.LockTimeout);
        cancellationToken.ThrowIfCancellationRequested();
        var documents = workspace.Documents.List(request.Offset, request.Limit);
        return new DocsListResult(documents, request.Offset, workspace.Documents.Count());
    }

    /// <summary>One document by id.</summary>
    /// <param name="request">The workspace and the id.</param>
    /// <param name="cancellationToken">Stops before reading.</param>
    /// <exception cref="KeyNotFoundException">No document has that id.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static DocShowResult Show(DocShowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var workspace = Open(request.Workspace, request.LockTimeout);
        cancellationToken.ThrowIfCancellationRequested();
        var document = workspace.Documents.Get(request.Id)
            ?? throw new KeyNotFoundException($"no document with id '{request.Id}' in workspace {workspace.Directory}; see topickit docs list.");
        var original = workspace.Documents.GetOriginalId(document.Id);
        return new DocShowResult(document, original is not null && original != document.Id ? original : null);
    }

    /// <summary>Corpus statistics: documents per source, year and primary category, metadata coverage, abstract
    /// lengths, authors and exact duplicates.</summary>
    /// <param name="request">The workspace.</param>
    /// <param name="cancellationToken">Stops before reading.</param>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static CorpusStats Stats(DocsStatsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var workspace = Open(request.Workspace, request.LockTimeout);
        cancellationToken.ThrowIfCancellationRequested();
        return workspace.Documents.GetStats();
    }

    private static Workspace Open(string directory, TimeSpan lockTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Workspace.Open(directory, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: lockTimeout));
    }
}
