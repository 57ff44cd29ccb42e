namespace TopicKit.Corpus;

/// <summary>A set of documents with the same <see cref="DuplicateKey"/>, in the order they were added.</summary>
/// <param name="Key">The shared duplicate key.</param>
/// <param name="Documents">Two or more documents, in order of addition.</param>
public sealed record DuplicateGroup(string Key, IReadOnlyList<Document> Documents)
{
    /// <summary>The ids of <see cref="Documents"/>, in the same order.</summary>
    public IReadOnlyList<string> Ids => [.. Documents.Select(d => d.Id)];
}

/// <summary>
/// Collects documents (from one file or many) and reports the exact-duplicate groups among them. Nothing is
/// dropped: every document stays available, duplicates are only reported.
/// </summary>
public sealed class DuplicateGrouper
{
    private readonly Dictionary<string, List<Document>> _byKey = new(StringComparer.Ordinal);
    private readonly List<string> _keyOrder = [];

    /// <summary>Number of documents added.</summary>
    public int Count { get; private set; }

    /// <summary>Groups the documents of a sequence in one call.</summary>
    public static IReadOnlyList<DuplicateGroup> Group(IEnumerable<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var grouper = new DuplicateGrouper();
        foreach (var d in documents)
        {
            grouper.Add(d);
        }

        return grouper.Groups();
    }

    /// <summary>Adds a document and returns its duplicate key.</summary>
    public string Add(Document document)
    {
        var key = DuplicateKey.Compute(document);
        if (!_byKey.TryGetValue(key, out var list))
        {
            list = [];
            _byKey.Add(key, list);
            _keyOrder.Add(key);
        }

        list.Add(document);
        Count++;
        return key;
    }

    /// <summary>
    /// The groups with two or more documents, ordered by the first appearance of their key; within a group,
    /// documents keep their order of addition.
    /// </summary>
    public IReadOnlyList<DuplicateGroup> Groups()
    {
        var groups = new List<DuplicateGroup>();
        foreach (var key in _keyOrder)
        {
            var list = _byKey[key];
            if (list.Count > 1)
            {
                groups.Add(new DuplicateGroup(key, [.. list]));
            }
        }

        return groups;
    }
}
