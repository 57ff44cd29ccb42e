namespace TopicKit.Search;

/// <summary>One ranked result: a row (document index) and its score (higher is better).</summary>
/// <param name="Row">Row of the indexed collection.</param>
/// <param name="Score">Cosine similarity, BM25 score or fused reciprocal-rank score, by index.</param>
public readonly record struct SearchHit(int Row, double Score);

/// <summary>Ranking helpers shared by the indexes.</summary>
internal static class Ranking
{
    /// <summary>The <paramref name="k"/> best of <paramref name="scores"/> (higher first, ties by lower row), skipping rows where <paramref name="include"/> says no.</summary>
    public static SearchHit[] Top(ReadOnlySpan<double> scores, int k, Func<int, bool>? include = null)
    {
        if (k <= 0)
        {
            return [];
        }

        // A bounded min-heap on (score, -row): the root is the worst kept hit.
        var heap = new PriorityQueue<int, (double Score, int NegRow)>(k + 1);
        for (var i = 0; i < scores.Length; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            var key = (scores[i], -i);
            if (heap.Count < k)
            {
                heap.Enqueue(i, key);
            }
            else if (heap.TryPeek(out _, out var worst) && Compare(key, worst) > 0)
            {
                heap.DequeueEnqueue(i, key);
            }
        }

        var result = new SearchHit[heap.Count];
        for (var t = result.Length - 1; t >= 0; t--)
        {
            heap.TryDequeue(out var row, out var key);
            result[t] = new SearchHit(row, key.Score);
        }

        return result;
    }

    private static int Compare((double Score, int NegRow) x, (double Score, int NegRow) y) =>
        x.Score != y.Score ? x.Score.CompareTo(y.Score) : x.NegRow.CompareTo(y.NegRow);
}
