using TopicKit.Numerics;
using TopicKit.Text;

namespace TopicKit.Embedding;

/// <summary>Settings of <see cref="TfidfVectorizer"/>; defaults follow the lexical encoder's needs.</summary>
/// <param name="MinDocumentFrequency">Terms in fewer documents are dropped (default 2).</param>
/// <param name="MaxDocumentFrequency">Terms in a larger share of documents are dropped (default 1.0 = keep all).</param>
/// <param name="SublinearTf">Use <c>1 + ln(tf)</c> instead of raw counts (default true).</param>
/// <param name="RemoveStopWords">Drop <see cref="EnglishStopWords"/> (default true).</param>
public sealed record TfidfOptions(
    int MinDocumentFrequency = 2,
    double MaxDocumentFrequency = 1.0,
    bool SublinearTf = true,
    bool RemoveStopWords = true);

/// <summary>
/// A fitted TF-IDF vocabulary: lower-cased word tokens (<see cref="WordScanner"/>), smoothed idf
/// <c>ln((1 + n) / (1 + df)) + 1</c> and L2-normalised rows, the conventions of scikit-learn's TfidfVectorizer.
/// Immutable and thread-safe.
/// </summary>
public sealed class TfidfVectorizer
{
    private const int MaxWordLength = 64;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal TfidfVectorizer(string[] terms, float[] idf, TfidfOptions options)
    {
        Terms = terms;
        Idf = idf;
        Options = options;
        _index = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (var i = 0; i < terms.Length; i++)
        {
            _index.Add(terms[i], i);
        }

        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Vocabulary in column order (sorted ordinally).</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Inverse document frequency per column.</summary>
    public IReadOnlyList<float> Idf { get; }

    /// <summary>The options the vocabulary was fitted with.</summary>
    public TfidfOptions Options { get; }

    /// <summary>Learns the vocabulary and idf weights from <paramref name="texts"/>.</summary>
    /// <exception cref="ArgumentException">When no term survives the document-frequency limits.</exception>
    public static TfidfVectorizer Fit(IReadOnlyList<string> texts, TfidfOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new TfidfOptions();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var dfLookup = df.GetAlternateLookup<ReadOnlySpan<char>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenLookup = seen.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[MaxWordLength];
        for (var d = 0; d < texts.Count; d++)
        {
            if ((d & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            seen.Clear();
            WordScanner.Scan(texts[d], buffer, word =>
            {
                if ((options.RemoveStopWords && EnglishStopWords.Contains(word)) || !seenLookup.Add(word))
                {
                    return;
                }

                ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(dfLookup, word, out _);
                count++;
            });
        }

        var n = texts.Count;
        var maxDf = options.MaxDocumentFrequency * n;
        var kept = df.Where(kv => kv.Value >= options.MinDocumentFrequency && kv.Value <= maxDf)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (kept.Length == 0)
        {
            throw new ArgumentException(
                $"No term occurs in at least {options.MinDocumentFrequency} of the {n} texts; add more texts or lower TfidfOptions.MinDocumentFrequency.", nameof(options));
        }

        var idf = new float[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            idf[i] = (float)(Math.Log((1.0 + n) / (1.0 + df[kept[i]])) + 1.0);
        }

        return new TfidfVectorizer(kept, idf, options);
    }

    /// <summary>Maps texts to L2-normalised TF-IDF rows (texts.Count x vocabulary size).</summary>
    public SparseMatrix Transform(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rowIndices = new int[texts.Count][];
        var rowValues = new float[texts.Count][];
        void One(int d)
        {
            var counts = new Dictionary<int, int>();
            Span<char> buffer = stackalloc char[MaxWordLength];
            WordScanner.Scan(texts[d], buffer, word =>
            {
                if (_lookup.TryGetValue(word, out var column))
                {
                    ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, column, out _);
                    c++;
                }
            });
            var idx = counts.Keys.ToArray();
            Array.Sort(idx);
            var val = new float[idx.Length];
            double norm = 0;
            for (var i = 0; i < idx.Length; i++)
            {
                double tf = counts[idx[i]];
                var w = (Options.SublinearTf ? 1.0 + Math.Log(tf) : tf) * Idf[idx[i]];
                val[i] = (float)w;
                norm += w * w;
            }

            if (norm > 0)
            {
                var inv = (float)(1.0 / Math.Sqrt(norm));
                for (var i = 0; i < val.Length; i++)
                {
                    val[i] *= inv;
                }
            }

            rowIndices[d] = idx;
            rowValues[d] = val;
        }

        if (texts.Count < 64)
        {
            for (var d = 0; d < texts.Count; d++)
            {
                One(d);
            }
        }
        else
        {
            Parallel.For(0, texts.Count, One);
        }

        return SparseMatrix.FromRows(rowIndices, rowValues, Terms.Count);
    }
}
