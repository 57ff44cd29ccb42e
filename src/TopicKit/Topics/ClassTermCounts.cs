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
        var firstSeenDf = new List<int>();
        var maps = new int[parts.Length][];
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            var map = new int[part.Terms.Count];
            for (var t = 0; t < map.Length; t++)
            {
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(global, part.Terms[t], out var exists);
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

        // (class, term) keys from every chunk, sorted, then summed: the CSR rows in order.
        var total = parts.Sum(p => p.Pairs.Count);
        var keys = new long[total];
        var values = new long[total];
        var n = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            foreach (var (key, count) in parts[p].Pairs)
            {
                var term = finalId[maps[p][(int)(key & 0xFFFFFFFF)]];
                if (term < 0)
                {
                    continue;
                }

                keys[n] = ((key >> 32) * terms.Length) + term;
                values[n] = count;
                n++;
            }
        }

        Array.Sort(keys, values, 0, n);
        var offsets = new int[classes + 1];
        var columns = new List<int>(n);
        var counts = new List<long>(n);
        for (var i = 0; i < n;)
        {
            var key = keys[i];
            long sum = 0;
            while (i < n && keys[i] == key)
            {
                sum += values[i++];
            }

            var row = (int)(key / Math.Max(1, terms.Length));
            offsets[row + 1]++;
            columns.Add((int)(key % terms.Length));
            counts.Add(sum);
        }

        for (var r = 0; r < classes; r++)
        {
            offsets[r + 1] += offsets[r];
        }

        return new ClassTermCounts(terms, classes, offsets, [.. columns], [.. counts], df);
    }

    /// <summary>One chunk's local vocabulary, per-term document frequency and (class, local term) counts.</summary>
    private sealed class ChunkCounts
    {
        public List<string> Terms { get; } = [];

        public List<int> DocumentFrequency { get; } = [];

        public Dictionary<long, long> Pairs { get; } = [];

        public static ChunkCounts Count(
            IReadOnlyList<string> texts, int[] classOf, int start, int end, TermAnalyzer analyzer, CancellationToken cancellationToken)
        {
            var result = new ChunkCounts();
            var state = new State(result);
            for (var d = start; d < end; d++)
            {
                if (((d - start) & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                state.Document = d - start;
                state.ClassKey = (long)classOf[d] << 32;
                analyzer.Analyze(texts[d], OnTerm, ref state);
            }

            return result;
        }

        private static void OnTerm(ReadOnlySpan<char> term, ref State state)
        {
            var owner = state.Owner;
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(state.Lookup, term, out var exists);
            if (!exists)
            {
                id = owner.Terms.Count;
                owner.Terms.Add(term.ToString());
                owner.DocumentFrequency.Add(0);
                state.LastDocument.Add(-1);
            }

            if (state.LastDocument[id] != state.Document)
            {
                state.LastDocument[id] = state.Document;
                owner.DocumentFrequency[id]++;
            }

            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(owner.Pairs, state.ClassKey | (uint)id, out _);
            count++;
        }

        private struct State(ChunkCounts owner)
        {
            public readonly ChunkCounts Owner = owner;
            public readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup =
                new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

            public readonly List<int> LastDocument = [];
            public int Document;
            public long ClassKey;
        }
    }
}
