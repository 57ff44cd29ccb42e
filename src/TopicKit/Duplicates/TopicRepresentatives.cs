namespace TopicKit.Duplicates;

/// <summary>
/// One representative per duplicate group, for fitting topics without reposts skewing them (BERTopic #972): fit on
/// <see cref="Rows"/>, then give every other row its canonical's topic with <see cref="Expand{T}"/>.
/// </summary>
/// <param name="Rows">The rows to fit on, ascending: every row outside a group plus each group's canonical.</param>
/// <param name="CanonicalOf">For every row, the row whose result it takes (itself unless it is a non-canonical member).</param>
public sealed record TopicRepresentatives(IReadOnlyList<int> Rows, IReadOnlyList<int> CanonicalOf)
{
    /// <summary>The representatives of <paramref name="count"/> rows given their duplicate groups.</summary>
    /// <exception cref="ArgumentException">A group member outside 0..count-1 or in two groups.</exception>
    public static TopicRepresentatives From(int count, IEnumerable<NearDuplicateGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var canonical = new int[count];
        for (var i = 0; i < count; i++)
        {
            canonical[i] = i;
        }

        var grouped = new bool[count];
        foreach (var g in groups)
        {
            foreach (var m in g.Members)
            {
                if (m < 0 || m >= count || grouped[m])
                {
                    throw new ArgumentException($"row {m} is outside 0..{count - 1} or in two groups.", nameof(groups));
                }

                grouped[m] = true;
                canonical[m] = g.Canonical;
            }
        }

        var rows = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            if (canonical[i] == i)
            {
                rows.Add(i);
            }
        }

        return new TopicRepresentatives(rows, canonical);
    }

    /// <summary>
    /// Spreads per-representative results (one per entry of <see cref="Rows"/>, in order) to all rows: each row gets its
    /// canonical's value.
    /// </summary>
    /// <exception cref="ArgumentException">When the result count differs from <see cref="Rows"/>.</exception>
    public T[] Expand<T>(IReadOnlyList<T> representativeResults)
    {
        ArgumentNullException.ThrowIfNull(representativeResults);
        if (representativeResults.Count != Rows.Count)
        {
            throw new ArgumentException($"{representativeResults.Count} results for {Rows.Count} representatives.", nameof(representativeResults));
        }

        var position = new Dictionary<int, int>(Rows.Count);
        for (var i = 0; i < Rows.Count; i++)
        {
            position[Rows[i]] = i;
        }

        var result = new T[CanonicalOf.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = representativeResults[position[CanonicalOf[i]]];
        }

        return result;
    }
}
