using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// Fitted topics: per topic its keywords, label, representative documents and centroid, plus the c-TF-IDF matrix
/// (one row per topic, in <see cref="Topics"/> order) and the vocabulary, so new texts can be mapped into the same
/// space. Immutable and thread-safe; <see cref="Save"/> and <see cref="Load"/> round-trip it exactly.
/// </summary>
public sealed class TopicRepresentation
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly TermTable _table = new();
    private readonly Dictionary<int, int> _rowOfId;
    private readonly TermAnalyzer _analyzer;
    private readonly float[] _idf;
    private readonly string[] _vocabulary;

    internal TopicRepresentation(IReadOnlyList<Topic> topics, string[] vocabulary, SparseMatrix classTfidf, float[] idf, ClassTfidfOptions options)
    {
        if (classTfidf.Rows != topics.Count || classTfidf.Columns != vocabulary.Length || idf.Length != vocabulary.Length)
        {
            throw new ArgumentException("The c-TF-IDF matrix, vocabulary and topics disagree in size.", nameof(classTfidf));
        }

        Topics = topics;
        _vocabulary = vocabulary;
        ClassTfidf = classTfidf;
        _idf = idf;
        Options = options;
        _analyzer = new TermAnalyzer(options.NgramMin, options.NgramMax, options.EffectiveStopWords);
        var index = new Dictionary<string, int>(vocabulary.Length, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            index.Add(vocabulary[i], i);
            _table.GetOrAdd(vocabulary[i], _table.Hash(vocabulary[i]), out _);
        }

        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        _rowOfId = new Dictionary<int, int>(topics.Count);
        for (var i = 0; i < topics.Count; i++)
        {
            if (i > 0 && topics[i].Id <= topics[i - 1].Id)
            {
                throw new ArgumentException("Topics must be ordered by strictly increasing id.", nameof(topics));
            }

            _rowOfId.Add(topics[i].Id, i);
        }
    }

    /// <summary>The topics, ordered by id; id -1 (the outlier class) comes first when present.</summary>
    public IReadOnlyList<Topic> Topics { get; }

    /// <summary>The c-TF-IDF vocabulary in column order (sorted ordinally).</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>The c-TF-IDF matrix: one row per topic (in <see cref="Topics"/> order), one column per vocabulary term.</summary>
    public SparseMatrix ClassTfidf { get; }

    /// <summary>The idf weight of each vocabulary term (seed-word multipliers included).</summary>
    public ReadOnlySpan<float> Idf => _idf;

    /// <summary>The settings the representation was fitted with.</summary>
    public ClassTfidfOptions Options { get; }

    /// <summary>Whether the outlier class -1 is among the topics.</summary>
    public bool HasOutlierTopic => _rowOfId.ContainsKey(-1);

    /// <summary>The row of topic <paramref name="topicId"/> in <see cref="Topics"/> and <see cref="ClassTfidf"/>, or -1.</summary>
    public int IndexOf(int topicId) => _rowOfId.TryGetValue(topicId, out var row) ? row : -1;

    /// <summary>The topic with id <paramref name="topicId"/>.</summary>
    /// <exception cref="KeyNotFoundException">When there is no such topic.</exception>
    public Topic GetTopic(int topicId) =>
        _rowOfId.TryGetValue(topicId, out var row) ? Topics[row] : throw new KeyNotFoundException($"no topic {topicId}.");

    /// <summary>Maps texts into the c-TF-IDF space as a dense matrix (texts x vocabulary), the weighting of the topic rows.</summary>
    public Matrix TransformDocuments(IReadOnlyList<string> texts)
    {
        var sparse = TransformSparse(texts, CancellationToken.None);
        var dense = new Matrix(sparse.Rows, sparse.Columns);
        for (var r = 0; r < sparse.Rows; r++)
        {
            var row = dense.Row(r);
            var idx = sparse.RowIndices(r);
            var val = sparse.RowValues(r);
            for (var p = 0; p < idx.Length; p++)
            {
                row[idx[p]] = val[p];
            }
        }

        return dense;
    }

    /// <summary>Cosine similarity of each text's c-TF-IDF vector to each topic's row (texts x topics).</summary>
    public Matrix DocumentTopicSimilarity(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var docs = TransformSparse(texts, cancellationToken);
        var topicsByTerm = ClassTfidf.Transpose();
        var topicNorms = SparseRowNorms(ClassTfidf);
        var result = new Matrix(docs.Rows, Topics.Count);
        Parallel.For(0, docs.Rows, new ParallelOptions { CancellationToken = cancellationToken }, r =>
        {
            var target = result.Row(r);
            var idx = docs.RowIndices(r);
            var val = docs.RowValues(r);
            for (var p = 0; p < idx.Length; p++)
            {
                var topicIdx = topicsByTerm.RowIndices(idx[p]);
                var topicVal = topicsByTerm.RowValues(idx[p]);
                for (var q = 0; q < topicIdx.Length; q++)
                {
                    target[topicIdx[q]] += val[p] * topicVal[q];
                }
            }

            var norm = TensorPrimitives.Norm(val);
            for (var k = 0; k < target.Length; k++)
            {
                target[k] = norm > 0 && topicNorms[k] > 0 ? target[k] / (norm * topicNorms[k]) : 0f;
            }
        });
        return result;
    }

    /// <summary>A copy whose topics carry the given labels; topics not named keep theirs.</summary>
    /// <exception cref="KeyNotFoundException">When a label names a topic that does not exist.</exception>
    public TopicRepresentation WithLabels(IReadOnlyDictionary<int, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var id in labels.Keys)
        {
            _ = GetTopic(id);
        }

        var topics = Topics.Select(t => labels.TryGetValue(t.Id, out var label) ? t with { Label = label } : t).ToArray();
        return WithTopics(topics);
    }

    /// <summary>Writes the representation to <paramref name="directory"/>: a versioned JSON manifest plus .npy arrays.</summary>
    public void Save(string directory) => TopicRepresentationFiles.Save(this, directory);

    /// <summary>Reads a representation written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">When the folder is not a saved representation, is damaged, or is from a newer version.</exception>
    public static TopicRepresentation Load(string directory) => TopicRepresentationFiles.Load(directory);

    internal TopicRepresentation WithTopics(IReadOnlyList<Topic> topics) => new(topics, _vocabulary, ClassTfidf, _idf, Options);

    /// <summary>The c-TF-IDF vector of each text (texts x vocabulary), weighted as the topic rows are.</summary>
    internal SparseMatrix TransformSparse(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var counts = CountTerms(texts, cancellationToken);
        var values = new float[counts.NonZeros];
        for (var d = 0; d < counts.Rows; d++)
        {
            var idx = counts.RowIndices(d);
            var c = counts.RowValues(d);
            var sum = TensorPrimitives.Sum(c);
            for (var i = 0; i < idx.Length; i++)
            {
                values[counts.RowOffsets[d] + i] = (float)ClassTfidfWeighting.Weigh(c[i] / (double)sum, _idf[idx[i]], Options.ReduceFrequentWords);
            }
        }

        return new SparseMatrix(counts.RowOffsets, counts.ColumnIndices, values, counts.Columns);
    }

    /// <summary>The vocabulary term counts of each text (texts x vocabulary).</summary>
    internal SparseMatrix CountTerms(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rowIndices = new int[texts.Count][];
        var rowValues = new float[texts.Count][];
        BlockParallel.For(
            (texts.Count + 255) / 256,
            -1,
            () => new CountState(_table, _vocabulary.Length),
            (block, state) =>
            {
                for (var d = block * 256; d < Math.Min(texts.Count, (block + 1) * 256); d++)
                {
                    var text = texts[d];
                    if (_analyzer.IsUnigram && System.Text.Ascii.IsValid(text))
                    {
                        if (state.Chars.Length < text.Length)
                        {
                            state.Chars = new char[Math.Max(text.Length, state.Chars.Length * 2)];
                        }

                        TermAnalyzer.AnalyzeAscii(text, state.Chars, _table.Seed, ref state);
                    }
                    else
                    {
                        _analyzer.Analyze(text, CountTerm, ref state);
                    }

                    (rowIndices[d], rowValues[d]) = state.TakeRow();
                }
            },
            cancellationToken);

        return SparseMatrix.FromRows(rowIndices, rowValues, Vocabulary.Count);
    }

    /// <summary>The column of <paramref name="term"/>, or -1.</summary>
    internal int ColumnOf(string term) => _lookup.TryGetValue(term, out var column) ? column : -1;

    internal static float[] SparseRowNorms(SparseMatrix m)
    {
        var norms = new float[m.Rows];
        for (var r = 0; r < m.Rows; r++)
        {
            norms[r] = TensorPrimitives.Norm(m.RowValues(r));
        }

        return norms;
    }

    private static void CountTerm(ReadOnlySpan<char> term, ref CountState state) => state.Add(term, state.Table.Hash(term));

    // Per-thread counts of one text over the vocabulary, reset per text.
    private struct CountState(TermTable table, int columns) : ITermSink
    {
        private readonly SparseAccumulator _counts = new(columns);

        public TermTable Table { get; } = table;

        public char[] Chars { get; set; } = new char[256];

        public readonly void Add(ReadOnlySpan<char> term, uint hash)
        {
            var column = Table.IndexOf(term, hash);
            if (column >= 0)
            {
                _counts.Add(column, 1);
            }
        }

        public readonly (int[] Indices, float[] Values) TakeRow()
        {
            var (columns, counts) = _counts.TakeRow();
            return (columns, Array.ConvertAll(counts, c => (float)c));
        }
    }
}
