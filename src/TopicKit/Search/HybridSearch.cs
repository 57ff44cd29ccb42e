namespace TopicKit.Search;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher 2009): a row's fused score is Σ 1/(c + rank) over the ranked
/// lists it appears in (rank from 1), with c = 60 by default.
/// </summary>
public static class HybridSearch
{
    /// <summary>The constant c of the formula.</summary>
    public const int DefaultRankConstant = 60;

    /// <summary>Fuses ranked lists (best first) and returns the top <paramref name="k"/>, ties by lower row.</summary>
    public static IReadOnlyList<SearchHit> Fuse(IEnumerable<IReadOnlyList<SearchHit>> rankings, int k = 10, int rankConstant = DefaultRankConstant)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var fused = new Dictionary<int, double>();
        foreach (var list in rankings)
        {
            for (var r = 0; r < list.Count; r++)
            {
                fused[list[r].Row] = fused.GetValueOrDefault(list[r].Row) + (1.0 / (rankConstant + r + 1));
            }
        }

        return [.. fused.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).Select(p => new SearchHit(p.Key, p.Value))];
    }

    /// <summary>
    /// Hybrid search: the top <paramref name="depth"/> of the semantic and of the BM25 ranking, fused by reciprocal rank.
    /// </summary>
    public static IReadOnlyList<SearchHit> Query(
        SemanticIndex semantic, ReadOnlySpan<float> queryVector, Bm25Index lexical, string queryText, int k = 10, int exclude = -1, int depth = 100)
    {
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(lexical);
        var d = Math.Max(depth, k);
        var a = semantic.Query(queryVector, d, exclude);
        var b = lexical.Query(queryText, d, exclude);
        return Fuse([a, b], k);
    }
}
