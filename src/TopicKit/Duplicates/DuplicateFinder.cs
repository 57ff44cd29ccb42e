using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>Which similarity accepts a pair.</summary>
public enum DuplicateMethod
{
    /// <summary>MinHash LSH over word shingles, verified by exact Jaccard (needs texts).</summary>
    Lexical,

    /// <summary>Embedding cosine (needs vectors).</summary>
    Semantic,

    /// <summary>A pair accepted by either method; every pair is then scored by both.</summary>
    Both,
}

/// <summary>Settings of <see cref="DuplicateFinder.Find"/>.</summary>
public sealed record DuplicateOptions
{
    /// <summary>Which similarity accepts pairs. Default <see cref="DuplicateMethod.Lexical"/> (needs no model).</summary>
    public DuplicateMethod Method { get; init; } = DuplicateMethod.Lexical;

    /// <summary>The semantic search (threshold 0.95 by default).</summary>
    public PairSearchOptions Semantic { get; init; } = new();

    /// <summary>The lexical search (Jaccard 0.5 by default).</summary>
    public LexicalSearchOptions Lexical { get; init; } = new();

    /// <summary>The text compared lexically. Default <c>Title. Abstract</c>, as embedded.</summary>
    public EmbeddingTextField Text { get; init; } = EmbeddingTextField.TitleAbstract;

    /// <summary>
    /// With <see cref="DuplicateMethod.Both"/>, a pair that only the semantic method accepts (not the lexical one, not
    /// an exact duplicate) is kept only if its texts' word-set containment (<see cref="LexicalPairSearch.WordContainment"/>)
    /// reaches this; in [0, 1], 0 keeps every such pair. Default 0.85: companion papers (a stability and a convergence
    /// proof of one scheme, two theorems on one problem) reach cosine 0.95 with USE-lite at containment 0.59-0.78,
    /// while copies and versions of one paper have 0.89 or more (README, "Duplicates").
    /// </summary>
    public double MinWordContainment { get; init; } = 0.85;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold or <see cref="MinWordContainment"/> outside [0, 1], or a non-positive count.</exception>
    public void Validate()
    {
        Semantic.Validate();
        Lexical.Validate();
        if (!(MinWordContainment >= 0 && MinWordContainment <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MinWordContainment), MinWordContainment, $"the word containment floor must be between 0 and 1, got {MinWordContainment}.");
        }
    }
}

/// <summary>The result of a duplicate search.</summary>
/// <param name="Rows">Rows (documents) searched.</param>
/// <param name="Groups">The groups, ordered by first member.</param>
/// <param name="Method">The method that accepted pairs.</param>
/// <param name="SemanticSearch">The semantic search's name (<c>exact</c>, <c>ivf</c>) or null when it did not run.</param>
/// <param name="Banding">The LSH banding when the lexical method ran.</param>
public sealed record DuplicateReport(int Rows, IReadOnlyList<NearDuplicateGroup> Groups, DuplicateMethod Method, string? SemanticSearch, LshParameters? Banding)
{
    /// <summary>Every pair of every group.</summary>
    public IEnumerable<DuplicatePair> Pairs => Groups.SelectMany(g => g.Pairs);

    /// <summary>Pairs only the semantic method accepted that were dropped for sharing too few words
    /// (<see cref="DuplicateOptions.MinWordContainment"/>; <see cref="DuplicateMethod.Both"/> only).</summary>
    public int Uncorroborated { get; init; }
}

/// <summary>
/// Finds near-duplicate documents or rows: semantic pairs (<see cref="IPairSearch"/>), lexical pairs
/// (<see cref="LexicalPairSearch"/>) and exact duplicates known from ingestion, grouped by union-find.
/// </summary>
public static class DuplicateFinder
{
    /// <summary>
    /// Searches <paramref name="documents"/> (for lexical pairs and metadata) and/or <paramref name="vectors"/> (one row per
    /// document, for semantic pairs). <paramref name="exactGroups"/> (row indices, e.g. the workspace's exact-duplicate
    /// groups) become pairs too, marked exact and scored by the methods that ran.
    /// </summary>
    /// <exception cref="ArgumentException">The method needs input that is missing, or the inputs disagree in length.</exception>
    public static DuplicateReport Find(
        IReadOnlyList<Document>? documents,
        Matrix? vectors,
        DuplicateOptions? options = null,
        IEnumerable<IReadOnlyList<int>>? exactGroups = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new DuplicateOptions();
        options.Validate();
        var semantic = options.Method != DuplicateMethod.Lexical;
        var lexical = options.Method != DuplicateMethod.Semantic;
        if (semantic && vectors is null)
        {
            throw new ArgumentException("the semantic method needs embeddings; embed the documents first or use the lexical method.", nameof(vectors));
        }

        if (lexical && documents is null)
        {
            throw new ArgumentException("the lexical method needs the documents' texts; a bare matrix supports only the semantic method.", nameof(documents));
        }

        if (documents is not null && vectors is not null && documents.Count != vectors.Rows)
        {
            throw new ArgumentException($"{vectors.Rows} vectors for {documents.Count} documents; give one row per document.", nameof(vectors));
        }

        var n = documents?.Count ?? vectors!.Rows;
        var texts = documents?.Select(d => EmbeddingText.For(d, options.Text)).ToArray();
        var found = new SortedDictionary<long, (double? Semantic, double? Lexical, bool Exact)>();
        string? searchName = null;
        double[]? norms = null;
        if (semantic)
        {
            var search = PairSearch.For(n, options.Semantic);
            searchName = search.Name;
            foreach (var p in search.FindPairs(vectors!, cancellationToken))
            {
                found[Key(p.A, p.B)] = (p.Score, null, false);
            }

            norms = PairScoring.Norms(vectors!);
        }

        LexicalPairSearch? lexicalSearch = null;
        if (lexical)
        {
            lexicalSearch = new LexicalPairSearch(options.Lexical);
            foreach (var p in lexicalSearch.FindPairs(texts!, cancellationToken))
            {
                var key = Key(p.A, p.B);
                found[key] = found.TryGetValue(key, out var s) ? s with { Lexical = p.Score } : (null, p.Score, false);
            }
        }

        foreach (var group in exactGroups ?? [])
        {
            for (var x = 0; x < group.Count; x++)
            {
                for (var y = x + 1; y < group.Count; y++)
                {
                    var (a, b) = group[x] < group[y] ? (group[x], group[y]) : (group[y], group[x]);
                    var key = Key(a, b);
                    found[key] = found.TryGetValue(key, out var s) ? s with { Exact = true } : (null, null, true);
                }
            }
        }

        // Every pair gets the score of every method that ran, whichever method accepted it.
        var pairs = new List<DuplicatePair>(found.Count);
        var uncorroborated = 0;
        foreach (var (key, s) in found)
        {
            var a = (int)(key >> 32);
            var b = (int)(key & 0xFFFFFFFF);
            // An embedding also pulls together distinct papers on one narrow subject; a copy or version of one paper
            // shares its words as well, so a pair only the embedding vouches for must share most of them.
            if (semantic && lexical && s.Lexical is null && !s.Exact && options.MinWordContainment > 0
                && LexicalPairSearch.WordContainment(texts![a], texts[b]) < options.MinWordContainment)
            {
                uncorroborated++;
                continue;
            }

            var sem = semantic ? s.Semantic ?? PairScoring.Cosine(vectors!, norms!, a, b) : (double?)null;
            var lex = lexical ? s.Lexical ?? lexicalSearch!.Jaccard(texts![a], texts[b]) : (double?)null;
            pairs.Add(new DuplicatePair(a, b, sem, lex, s.Exact));
        }

        var groups = DuplicateGrouping.Build(n, pairs, documents);
        return new DuplicateReport(n, groups, options.Method, searchName, lexicalSearch?.Banding) { Uncorroborated = uncorroborated };
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;
}
