namespace TopicKit.Storage;

/// <summary>What one ingestion (one transaction) did.</summary>
/// <param name="Label">What was ingested: the file path, or the first document's source.</param>
/// <param name="Read">Records read from the stream.</param>
/// <param name="Added">Records stored as new documents.</param>
/// <param name="Skipped">Records already present from an earlier ingestion of the same source (same source, same
/// content, same occurrence of that content within the source).</param>
/// <param name="DocumentIds">Store id of every record read, in stream order (added or already present).</param>
/// <param name="Renamed">Records stored under another id because their own id was taken (see <see cref="Workspace"/>).</param>
/// <param name="DuplicateGroups">Exact-duplicate groups (ids in ingestion order, at least two each) that contain a record
/// of this ingestion, counting every document in the store after it.</param>
public sealed record IngestResult(
    string Label,
    int Read,
    int Added,
    int Skipped,
    IReadOnlyList<string> DocumentIds,
    IReadOnlyList<RenamedDocument> Renamed,
    IReadOnlyList<IReadOnlyList<string>> DuplicateGroups);

/// <summary>A record stored under <paramref name="StoredId"/> because <paramref name="OriginalId"/> was taken by another document.</summary>
/// <param name="OriginalId">The id the record carried.</param>
/// <param name="StoredId">The id it is stored and queried under.</param>
/// <param name="Source">Its source file name.</param>
/// <param name="Position">Its record index within the source.</param>
public sealed record RenamedDocument(string OriginalId, string StoredId, string Source, int Position);
