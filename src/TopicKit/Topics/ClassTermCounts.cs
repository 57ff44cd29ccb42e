using System.Runtime.InteropServices;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// The term counts of each class: the matrix scikit-learn's <c>CountVectorizer</c> gives for one joined document
/// per class, with the vocabulary sorted ordinally. Counting runs over fixed document chunks in parallel and merges
/// them in chunk order, so the result does not depend on the thread count.
/// </summary>
internal sealed class ClassTermCounts
{
    private ClassTermCounts(string[] terms, int classes, int[] offsets, int[] columns, long[] counts, int[] documentFrequency)
    {
        Terms = terms;
        Classes = classes;
        RowOffsets = offsets;
        Columns = columns;
        Counts = counts;
        DocumentFrequency = documentFrequency;
    }

    /// <summary>Vocabulary, sorted ordinally (scikit-learn's column order).</summary>
    public string[] Terms { get; }

    public int Classes { get; }

    /// <summary>CSR layout of the class x term counts; columns sorted within a row.</summary>
    public int[] RowOffsets { get; }

    public int[] Columns { get; }

    public long[] Counts { get; }

    /// <summary>Number of documents containing each term.</summary>
    public int[] DocumentFrequency { get; }

    /// <summary>Counts the terms of <paramref name="texts"/> per class.</summary>
    /// <param name="texts">Documents.</param>
    /// <param name="classOf">Class index (0..classes-1) per document.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="analyzer">Tokeniser.</param>
    /// <param name="minDocumentFrequency">Terms in fewer documents are dropped.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static ClassTermCounts Build(
        IReadOnlyList<string> texts, int[] classOf, int classes, TermAnalyzer analyzer, int minDocumentFrequency, CancellationToken cancellationToken)
    {
        var chunking = new Chunking(texts.Count);
        var parts = new ChunkCounts[chunking.Count];
        BlockParallel.For(
            chunking.Count,
            -1,
            () => 0,
            (chunk, _) =>
            {
                var (start, end) = chunking.Range(chunk);
                parts[chunk] = ChunkCounts.Count(texts, classOf, start, end, analyzer, cancellationToken);
            },
            cancellationToken);

        // Global ids in first-seen order, then renumbered into sorted order.
        var global = new Dictionary<string, int>(StringComparer.Ordinal);
        var globalLookup = global.GetAlternateLookup<ReadOnlySpan<char>>();
        var firstSeenDf = new List<int>();
        var maps = new int[parts.Length][];
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            var map = new int[part.Terms.Count];
            for (var t = 0; t < map.Length; t++)
            {
                if (part.IsStopWord(t))
                {
                    map[t] = -1;
                    continue;
                }

                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(globalLookup, part.Terms.Term(t), out var exists);
                if (!exists)
                {
                    id = global.Count - 1;
                    firstSeenDf.Add(0);
                }

                firstSeenDf[id] += part.DocumentFrequency[t];
                map[t] = id;
            }

            maps[p] = map;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var byFirstSeen = new string[global.Count];
        foreach (var (term, id) in global)
        {
            byFirstSeen[id] = term;
        }

        var order = Enumerable.Range(0, byFirstSeen.Length).Where(i => firstSeenDf[i] >= minDocumentFrequency).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(byFirstSeen[a], byFirstSeen[b]));
        var finalId = new int[byFirstSeen.Length];
        Array.Fill(finalId, -1);
        var terms = new string[order.Length];
        var df = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            finalId[order[i]] = i;
            terms[i] = byFirstSeen[order[i]];
            df[i] = firstSeenDf[order[i]];
        }

        for (var p = 0; p < parts.Length; p++)
        {
            var map = maps[p];
            for (var t = 0; t < map.Length; t++)
            {
                map[t] = map[t] < 0 ? -1 : finalId[map[t]];
            }
        }

        var (offsets, columns, counts) = Rows(parts, maps, classes, terms.Length, cancellationToken);
        return new ClassTermCounts(terms, classes, offsets, columns, counts, df);
    }

    // The CSR rows: each class sums its (term, count) triples from every chunk in a dense accumulator and emits its
    // columns sorted. Classes are independent (and integer sums exact), so they run in parallel.
    private static (int[] Offsets, int[] Columns, long[] Counts) Rows(
        ChunkCounts[] parts, int[][] maps, int classes, int termCount, CancellationToken cancellationToken)
    {
        var rowColumns = new int[classes][];
        var rowCounts = new long[classes][];
        BlockParallel.For(
            classes,
            -1,
            () => new SparseAccumulator(termCount),
            (cls, row) =>
            {
                for (var p = 0; p < parts.Length; p++)
                {
                    var map = maps[p];
                    foreach (var (term, count) in parts[p].Row(cls))
                    {
                        if (map[term] >= 0)
                        {
                            row.Add(map[term], count);
                        }
                    }
                }

                (rowColumns[cls], rowCounts[cls]) = row.TakeRow();
            },
            cancellationToken);

        var offsets = new int[classes + 1];
        for (var r = 0; r < classes; r++)
        {
            offsets[r + 1] = offsets[r] + rowColumns[r].Length;
        }

        var columns = new int[offsets[classes]];
        var counts = new long[offsets[classes]];
        for (var r = 0; r < classes; r++)
        {
            rowColumns[r].CopyTo(columns, offsets[r]);
            rowCounts[r].CopyTo(counts, offsets[r]);
        }

        return (offsets, columns, counts);
    }

    /// <summary>One chunk's local vocabulary, per-term document frequency and per-class (local term, count) pairs.</summary>
    private sealed class ChunkCounts
    {
        private readonly StopWordList? _deferredStopWords;
        private int[] _counts = new int[1024];
        private int[] _lastDocument = new int[1024];
        private bool[] _stop = new bool[1024];
        private int[] _documentFrequency = new int[1024];
        private readonly List<int> _touched = [];
        private readonly List<(int Term, long Count)> _pairs = [];
        private readonly Dictionary<int, (int Start, int Length)> _rows = [];
        private int _document;

        private ChunkCounts(StopWordList? deferredStopWords) => _deferredStopWords = deferredStopWords;

        public TermTable Terms { get; } = new();

        public ReadOnlySpan<int> DocumentFrequency => _documentFrequency.AsSpan(0, Terms.Count);

        public bool IsStopWord(int term) => _stop[term];

        /// <summary>This chunk's (local term, count) pairs of class <paramref name="cls"/>.</summary>
        public ReadOnlySpan<(int Term, long Count)> Row(int cls) =>
            _rows.TryGetValue(cls, out var range) ? CollectionsMarshal.AsSpan(_pairs).Slice(range.Start, range.Length) : [];

        // Documents are visited class by class, so one dense counter array serves the current class and is flushed
        // to pairs when the class changes: an array increment per token instead of a dictionary update.
        public static ChunkCounts Count(
            IReadOnlyList<string> texts, int[] classOf, int start, int end, TermAnalyzer analyzer, CancellationToken cancellationToken)
        {
            var result = new ChunkCounts(analyzer.DeferredStopWords);
            var order = Enumerable.Range(start, end - start).OrderBy(d => classOf[d]).ThenBy(d => d).ToArray();
            var self = result;
            var scratch = new char[256];
            for (var i = 0; i < order.Length; i++)
            {
                if ((i & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var d = order[i];
                var text = texts[d];
                result._document = d + 1;
                if (analyzer.IsUnigram && System.Text.Ascii.IsValid(text))
                {
                    if (scratch.Length < text.Length)
                    {
                        scratch = new char[Math.Max(text.Length, scratch.Length * 2)];
                    }

                    var sink = new Sink(result);
                    TermAnalyzer.AnalyzeAscii(text, scratch, result.Terms.Seed, ref sink);
                }
                else
                {
                    analyzer.Analyze(text, OnTerm, ref self);
                }

                if (i + 1 == order.Length || classOf[order[i + 1]] != classOf[d])
                {
                    result.Flush(classOf[d]);
                }
            }

            return result;

            static void OnTerm(ReadOnlySpan<char> term, ref ChunkCounts owner) => owner.Add(term, owner.Terms.Hash(term));
        }

        private void Add(ReadOnlySpan<char> term, uint hash)
        {
            var t = Terms.GetOrAdd(term, hash, out var added);
            if (added)
            {
                if (t == _counts.Length)
                {
                    Array.Resize(ref _counts, t * 2);
                    Array.Resize(ref _lastDocument, t * 2);
                    Array.Resize(ref _stop, t * 2);
                    Array.Resize(ref _documentFrequency, t * 2);
                }

                _stop[t] = _deferredStopWords?.Contains(term) == true;
            }

            if (_stop[t])
            {
                return;
            }

            if (_lastDocument[t] != _document)
            {
                _lastDocument[t] = _document;
                _documentFrequency[t]++;
            }

            if (_counts[t]++ == 0)
            {
                _touched.Add(t);
            }
        }

        private void Flush(int cls)
        {
            var start = _pairs.Count;
            foreach (var t in _touched)
            {
                _pairs.Add((t, _counts[t]));
                _counts[t] = 0;
            }

            _touched.Clear();
            _rows[cls] = (start, _pairs.Count - start);
        }

        private readonly struct Sink(ChunkCounts owner) : ITermSink
        {
            public void Add(ReadOnlySpan<char> term, uint hash) => owner.Add(term, hash);
        }
    }
}
