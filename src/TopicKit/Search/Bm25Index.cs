using TopicKit.Text;

namespace TopicKit.Search;

/// <summary>Settings of <see cref="Bm25Index"/>.</summary>
/// <param name="K1">Term-frequency saturation. Default 1.2 (Lucene, Elasticsearch).</param>
/// <param name="B">Length normalisation. Default 0.75.</param>
public sealed record Bm25Options(double K1 = 1.2, double B = 0.75);

/// <summary>
/// Okapi BM25 over lower-case words of two or more word characters (<see cref="WordScanner"/>):
/// score(q, d) = Σ_{t ∈ q} idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl)), with Lucene's
/// idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)), which is never negative. Repeated query words count once each time.
/// </summary>
/// <remarks>Memory: an inverted list of (document, term frequency) per distinct word, 8 bytes per posting.</remarks>
public sealed class Bm25Index
{
    private readonly Dictionary<string, (int[] Docs, int[] Tf)> _postings;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly Bm25Options _options;

    private Bm25Index(Dictionary<string, (int[] Docs, int[] Tf)> postings, int[] lengths, Bm25Options options)
    {
        _postings = postings;
        _lengths = lengths;
        _options = options;
        _averageLength = lengths.Length == 0 ? 0 : lengths.Average();
    }

    /// <summary>Documents indexed.</summary>
    public int Count => _lengths.Length;

    /// <summary>Indexes <paramref name="texts"/> (row i = text i).</summary>
    public static Bm25Index Build(IReadOnlyList<string> texts, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new Bm25Options();
        var docs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var tfs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var lengths = new int[texts.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            counts.Clear();
            foreach (var word in Words(texts[i] ?? string.Empty))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                lengths[i]++;
            }

            foreach (var (word, tf) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                if (!docs.TryGetValue(word, out var d))
                {
                    d = [];
                    docs.Add(word, d);
                    tfs.Add(word, []);
                }

                d.Add(i);
                tfs[word].Add(tf);
            }
        }

        var postings = docs.ToDictionary(p => p.Key, p => (p.Value.ToArray(), tfs[p.Key].ToArray()), StringComparer.Ordinal);
        return new Bm25Index(postings, lengths, options);
    }

    /// <summary>The words BM25 sees in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        WordScanner.Scan(text, stackalloc char[64], w => words.Add(new string(w)));
        return words;
    }

    /// <summary>BM25 score of every document for <paramref name="query"/>.</summary>
    public double[] Scores(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scores = new double[Count];
        var (k1, b) = (_options.K1, _options.B);
        foreach (var word in Words(query))
        {
            if (!_postings.TryGetValue(word, out var list))
            {
                continue;
            }

            var df = list.Docs.Length;
            var idf = Math.Log(1 + ((Count - df + 0.5) / (df + 0.5)));
            for (var p = 0; p < list.Docs.Length; p++)
            {
                var d = list.Docs[p];
                var tf = (double)list.Tf[p];
                var norm = _averageLength > 0 ? 1 - b + (b * _lengths[d] / _averageLength) : 1;
                scores[d] += idf * tf * (k1 + 1) / (tf + (k1 * norm));
            }
        }

        return scores;
    }

    /// <summary>The <paramref name="k"/> best-scoring documents with a score above 0, best first (ties by lower row).</summary>
    public IReadOnlyList<SearchHit> Query(string query, int k = 10, int exclude = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = Scores(query);
        return Ranking.Top(scores, k, row => row != exclude && scores[row] > 0);
    }
}
