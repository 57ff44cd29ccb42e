namespace TopicKit.Topics;

/// <summary>The outcome of merging, deleting or reducing topics.</summary>
/// <param name="Labels">New label per document.</param>
/// <param name="Mapping">Old topic id to new topic id (-1 stays -1; deleted topics map to -1).</param>
/// <param name="Representation">The topics refitted on the new labels.</param>
public sealed record TopicReductionResult(int[] Labels, IReadOnlyDictionary<int, int> Mapping, TopicRepresentation Representation);

/// <summary>
/// Merging, deleting and reducing topics. Afterwards the topics are renumbered 0..k-1 by size (largest first, ties
/// by the smallest old id), as BERTopic does, the keywords are recomputed, and the old → new mapping is returned.
/// </summary>
public static class TopicReduction
{
    /// <summary>Merges each group of topic ids into one topic.</summary>
    /// <exception cref="ArgumentException">When a group names an unknown topic, the outlier class, or a topic twice.</exception>
    public static TopicReductionResult Merge(TopicDocuments documents, ITopicRepresenter representer, IReadOnlyList<IReadOnlyList<int>> groups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(groups);
        var ids = TopicIds(documents);
        var target = ids.ToDictionary(id => id, id => id);
        var used = new HashSet<int>();
        foreach (var group in groups)
        {
            foreach (var id in group)
            {
                if (id == -1 || !ids.Contains(id) || !used.Add(id))
                {
                    throw new ArgumentException($"cannot merge topic {id}: {(id == -1 ? "the outlier class is not a topic" : ids.Contains(id) ? "it is in two groups" : "there is no such topic")}.", nameof(groups));
                }

                target[id] = group.Min();
            }
        }

        return Apply(documents, representer, target, cancellationToken);
    }

    /// <summary>Deletes topics: their documents become outliers (-1).</summary>
    /// <exception cref="ArgumentException">When an id is not a topic.</exception>
    public static TopicReductionResult Delete(TopicDocuments documents, ITopicRepresenter representer, IReadOnlyCollection<int> topicIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(topicIds);
        var ids = TopicIds(documents);
        var target = ids.ToDictionary(id => id, id => id);
        foreach (var id in topicIds)
        {
            if (id == -1 || !ids.Contains(id))
            {
                throw new ArgumentException($"cannot delete topic {id}: there is no such topic.", nameof(topicIds));
            }

            target[id] = -1;
        }

        return Apply(documents, representer, target, cancellationToken);
    }

    /// <summary>
    /// Reduces to <paramref name="topics"/> topics (outliers not counted) by average-linkage agglomerative clustering on
    /// 1 - cosine of the topic vectors, as BERTopic's <c>reduce_topics</c>; with null, cuts the tree at the widest gap
    /// between consecutive merge distances (at least two topics stay).
    /// </summary>
    public static TopicReductionResult ReduceTo(
        TopicDocuments documents, TopicRepresentation representation, ITopicRepresenter representer, int? topics,
        TopicVectorSource source = TopicVectorSource.ClassTfidf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(representation);
        var ids = representation.Topics.Where(t => t.Id != -1).Select(t => t.Id).ToArray();
        if (topics is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(topics), "reduce to at least one topic.");
        }

        var steps = Agglomerative.Fit(Agglomerative.CosineDistances(TopicVectors.Of(representation, source)), LinkageMethod.Average);
        var merges = topics is { } n ? Math.Max(0, ids.Length - n) : WidestGap(steps);
        var cluster = Agglomerative.Cut(ids.Length, steps, merges);
        var firstOf = new Dictionary<int, int>();
        var target = new Dictionary<int, int> { [-1] = -1 };
        for (var i = 0; i < ids.Length; i++)
        {
            if (!firstOf.TryGetValue(cluster[i], out var first))
            {
                first = ids[i];
                firstOf.Add(cluster[i], first);
            }

            target[ids[i]] = first;
        }

        return Apply(documents, representer, target, cancellationToken);
    }

    // Average linkage never lowers a merge height, so the widest gap separates tight merges from loose ones.
    private static int WidestGap(LinkageStep[] steps)
    {
        var best = 0;
        var bestGap = double.NegativeInfinity;
        for (var m = 0; m < steps.Length; m++)
        {
            var gap = steps[m].Distance - (m == 0 ? 0 : steps[m - 1].Distance);
            if (gap > bestGap)
            {
                (best, bestGap) = (m, gap);
            }
        }

        return best;
    }

    private static HashSet<int> TopicIds(TopicDocuments documents)
    {
        documents.Validate();
        return [.. documents.Labels];
    }

    private static TopicReductionResult Apply(TopicDocuments documents, ITopicRepresenter representer, Dictionary<int, int> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(representer);
        target[-1] = -1;
        var sizes = new Dictionary<int, int>();
        var smallestOld = new Dictionary<int, int>();
        foreach (var label in documents.Labels)
        {
            var t = target[label];
            if (t != -1)
            {
                sizes[t] = sizes.GetValueOrDefault(t) + 1;
            }
        }

        foreach (var (old, t) in target)
        {
            if (t != -1)
            {
                smallestOld[t] = Math.Min(smallestOld.GetValueOrDefault(t, int.MaxValue), old);
            }
        }

        var renumber = sizes.Keys.OrderByDescending(t => sizes[t]).ThenBy(t => smallestOld[t]).Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        renumber[-1] = -1;
        var mapping = target.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => renumber.GetValueOrDefault(p.Value, -1));
        var labels = documents.Labels.Select(l => mapping[l]).ToArray();
        var representation = representer.Fit(documents.WithLabels(labels), cancellationToken);
        return new TopicReductionResult(labels, mapping, representation);
    }
}
