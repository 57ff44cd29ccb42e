namespace TopicKit.Reporting;

/// <summary>
/// The validated report input plus what every output needs from it: topic index per document, colours, topics by
/// size and the hierarchy's leaf order. Built once so the figures, the CSVs and the HTML agree.
/// </summary>
internal sealed class ReportModel
{
    private ReportModel(ReportData data)
    {
        Data = data;
    }

    public ReportData Data { get; }

    /// <summary>Per document: index into <see cref="ReportData.Topics"/>, or -1 for outliers.</summary>
    public int[] TopicIndex { get; private set; } = [];

    /// <summary>Topic indices, biggest topic first (ties by id).</summary>
    public int[] BySize { get; private set; } = [];

    /// <summary>Topic indices in dendrogram leaf order (by size when there is no hierarchy).</summary>
    public int[] LeafOrder { get; private set; } = [];

    /// <summary>Per topic: its colour as <c>#rrggbb</c>.</summary>
    public string[] Colors { get; private set; } = [];

    /// <summary>Per topic: documents counted on the map (may differ from <see cref="ReportTopic.Size"/>).</summary>
    public int[] MapCounts { get; private set; } = [];

    public bool HasDates { get; private set; }

    /// <summary>Validates <paramref name="data"/>; every message names the record at fault.</summary>
    /// <exception cref="ArgumentException">When the data is inconsistent.</exception>
    public static ReportModel Build(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Documents is null || data.Topics is null)
        {
            throw new ArgumentException("Report data needs Documents and Topics (either may be empty, not null).", nameof(data));
        }

        var model = new ReportModel(data);
        var topics = data.Topics;
        var topicIndex = new Dictionary<int, int>(topics.Count);
        for (var t = 0; t < topics.Count; t++)
        {
            var topic = topics[t] ?? throw new ArgumentException($"Topics[{t}] is null.", nameof(data));
            if (topic.Id < 0)
            {
                throw new ArgumentException($"Topics[{t}] has id {topic.Id}; topic ids are non-negative (-1 marks outlier documents).", nameof(data));
            }

            if (!topicIndex.TryAdd(topic.Id, t))
            {
                throw new ArgumentException($"Topics[{t}] repeats topic id {topic.Id}; topic ids must be unique.", nameof(data));
            }

            if (topic.Keywords is null || topic.RepresentativeDocIds is null || topic.Label is null)
            {
                throw new ArgumentException($"Topic {topic.Id} has a null Label, Keywords or RepresentativeDocIds; use empty values instead.", nameof(data));
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var docTopic = new int[data.Documents.Count];
        var counts = new int[topics.Count];
        for (var i = 0; i < docTopic.Length; i++)
        {
            var doc = data.Documents[i] ?? throw new ArgumentException($"Documents[{i}] is null.", nameof(data));
            if (string.IsNullOrEmpty(doc.Id) || !ids.Add(doc.Id))
            {
                throw new ArgumentException($"Documents[{i}] has an empty or repeated id \"{doc.Id}\"; document ids must be unique.", nameof(data));
            }

            if (!double.IsFinite(doc.X) || !double.IsFinite(doc.Y))
            {
                throw new ArgumentException($"Document {i} (id \"{doc.Id}\") has a non-finite map position ({doc.X}, {doc.Y}).", nameof(data));
            }

            if (doc.Topic == -1)
            {
                docTopic[i] = -1;
            }
            else if (topicIndex.TryGetValue(doc.Topic, out var t))
            {
                docTopic[i] = t;
                counts[t]++;
            }
            else
            {
                throw new ArgumentException($"Document {i} (id \"{doc.Id}\") has topic {doc.Topic}, which is not in Topics (use -1 for outliers).", nameof(data));
            }

            model.HasDates |= doc.Date is not null;
        }

        ValidateSimilarity(data, topics.Count);
        ValidateNeighbors(data);
        ValidateTimeBins(data, topicIndex);
        ValidateDuplicates(data, ids);

        model.TopicIndex = docTopic;
        model.MapCounts = counts;
        model.BySize = Enumerable.Range(0, topics.Count)
            .OrderByDescending(t => topics[t].Size).ThenBy(t => topics[t].Id).ToArray();
        model.LeafOrder = data.Hierarchy is { Count: > 0 } hierarchy
            ? Linkage.LeafOrder(hierarchy, topics.Count)
            : model.BySize;
        model.Colors = Palette.Assign(model.BySize, topics.Count);
        return model;
    }

    /// <summary>A topic label cut to <paramref name="maxLength"/> characters.</summary>
    public static string ShortLabel(string label, int maxLength)
    {
        var text = label.ReplaceLineEndings(" ").Trim();
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, Math.Max(1, maxLength - 1)).TrimEnd(), "…");
    }

    private static void ValidateSimilarity(ReportData data, int topicCount)
    {
        if (data.TopicSimilarity is { } s && (s.Rows != topicCount || s.Columns != topicCount))
        {
            throw new ArgumentException($"TopicSimilarity is {s.Rows} x {s.Columns} but there are {topicCount} topics; it must be square in Topics order.", nameof(data));
        }

        if (data.Hierarchy is { Count: > 0 } h)
        {
            Linkage.Validate(h, topicCount);
        }
    }

    private static void ValidateNeighbors(ReportData data)
    {
        if (data.Neighbors is not { } neighbors)
        {
            return;
        }

        var n = data.Documents.Count;
        if (neighbors.Count != n)
        {
            throw new ArgumentException($"Neighbors has {neighbors.Count} rows but there are {n} documents.", nameof(data));
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var j in neighbors[i] ?? [])
            {
                if ((uint)j >= (uint)n)
                {
                    throw new ArgumentException($"Neighbors[{i}] holds {j}, which is not a document index (0..{n - 1}).", nameof(data));
                }
            }
        }
    }

    private static void ValidateTimeBins(ReportData data, Dictionary<int, int> topicIndex)
    {
        if (data.TopicsOverTime is not { } bins)
        {
            return;
        }

        for (var i = 0; i < bins.Count; i++)
        {
            if (bins[i].Topic != -1 && !topicIndex.ContainsKey(bins[i].Topic))
            {
                throw new ArgumentException($"TopicsOverTime[{i}] refers to topic {bins[i].Topic}, which is not in Topics.", nameof(data));
            }

            if (bins[i].Count < 0)
            {
                throw new ArgumentException($"TopicsOverTime[{i}] has a negative count {bins[i].Count}.", nameof(data));
            }
        }
    }

    private static void ValidateDuplicates(ReportData data, HashSet<string> ids)
    {
        var groups = data.DuplicateGroups ?? [];
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            foreach (var id in group.Ids)
            {
                if (!ids.Contains(id))
                {
                    throw new ArgumentException($"DuplicateGroups[{g}] lists document \"{id}\", which is not in Documents.", nameof(data));
                }
            }

            if (!group.Ids.Contains(group.Canonical))
            {
                throw new ArgumentException($"DuplicateGroups[{g}]: canonical \"{group.Canonical}\" is not one of its ids.", nameof(data));
            }
        }
    }
}
