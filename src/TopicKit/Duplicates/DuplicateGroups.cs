using TopicKit.Corpus;

namespace TopicKit.Duplicates;

/// <summary>One accepted pair of a duplicate group.</summary>
/// <param name="A">The lower row (document index in the input order).</param>
/// <param name="B">The higher row.</param>
/// <param name="Semantic">Cosine similarity of the embeddings; <see langword="null"/> when the semantic method did not run.</param>
/// <param name="Lexical">Exact shingle Jaccard similarity; <see langword="null"/> when the lexical method did not run.</param>
/// <param name="Exact">True when ingestion found the two to be exact duplicates (same normalised title and abstract).</param>
public sealed record DuplicatePair(int A, int B, double? Semantic, double? Lexical, bool Exact);

/// <summary>A set of rows connected by accepted pairs (the transitive closure: union-find over the pairs).</summary>
/// <param name="Members">Rows of the group, ascending.</param>
/// <param name="Canonical">The suggested record to keep (see <see cref="DuplicateGrouping.ChooseCanonical"/>).</param>
/// <param name="Pairs">The accepted pairs inside the group, ordered by A then B.</param>
/// <param name="DifferingFields">Which of <c>title</c>, <c>date</c>, <c>source</c>, <c>authors</c> are not the same for all members (empty without documents).</param>
public sealed record NearDuplicateGroup(IReadOnlyList<int> Members, int Canonical, IReadOnlyList<DuplicatePair> Pairs, IReadOnlyList<string> DifferingFields);

/// <summary>Builds duplicate groups from accepted pairs.</summary>
public static class DuplicateGrouping
{
    /// <summary>The metadata fields compared between members, in report order.</summary>
    public static IReadOnlyList<string> ComparedFields { get; } = ["title", "date", "source", "authors"];

    /// <summary>
    /// Groups <paramref name="pairs"/> over <paramref name="count"/> rows by union-find. Groups are ordered by their first
    /// member. With <paramref name="documents"/> (one per row) each group names its differing metadata and its canonical
    /// record by <see cref="ChooseCanonical"/>; without, the canonical is the first member.
    /// </summary>
    /// <exception cref="ArgumentException">A pair outside 0..count-1, or a document list of another length.</exception>
    public static IReadOnlyList<NearDuplicateGroup> Build(int count, IEnumerable<DuplicatePair> pairs, IReadOnlyList<Document>? documents = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (documents is not null && documents.Count != count)
        {
            throw new ArgumentException($"{documents.Count} documents given for {count} rows.", nameof(documents));
        }

        var sets = new UnionFind(count);
        var list = new List<DuplicatePair>();
        foreach (var p in pairs)
        {
            if (p.A < 0 || p.B >= count || p.A >= p.B)
            {
                throw new ArgumentException($"pair ({p.A}, {p.B}) is not two distinct rows in 0..{count - 1} with A < B.", nameof(pairs));
            }

            sets.Union(p.A, p.B);
            list.Add(p);
        }

        list.Sort(static (p, q) => p.A != q.A ? p.A.CompareTo(q.A) : p.B.CompareTo(q.B));
        var byRoot = new Dictionary<int, List<DuplicatePair>>();
        foreach (var p in list)
        {
            var root = sets.Find(p.A);
            if (!byRoot.TryGetValue(root, out var own))
            {
                own = [];
                byRoot.Add(root, own);
            }

            own.Add(p);
        }

        var groups = new List<NearDuplicateGroup>();
        foreach (var members in sets.Sets())
        {
            var canonical = documents is null ? members[0] : ChooseCanonical(members, documents);
            var differing = documents is null ? [] : Differing(members, documents);
            groups.Add(new NearDuplicateGroup(members, canonical, byRoot[sets.Find(members[0])], differing));
        }

        return groups;
    }

    /// <summary>
    /// The suggested record to keep: the most complete metadata first (one point each for a title, a date, authors and
    /// categories), then the longest abstract, then the earliest date (undated last), then the first in input order.
    /// </summary>
    public static int ChooseCanonical(IReadOnlyList<int> members, IReadOnlyList<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(documents);
        var best = members[0];
        foreach (var m in members.Skip(1))
        {
            if (Better(documents[m], documents[best]))
            {
                best = m;
            }
        }

        return best;
    }

    private static bool Better(Document x, Document y)
    {
        var cx = Completeness(x);
        var cy = Completeness(y);
        if (cx != cy)
        {
            return cx > cy;
        }

        if (x.Abstract.Length != y.Abstract.Length)
        {
            return x.Abstract.Length > y.Abstract.Length;
        }

        return (x.Date, y.Date) switch
        {
            ({ } dx, { } dy) => dx < dy,
            ({ }, null) => true,
            _ => false,
        };
    }

    private static int Completeness(Document d) =>
        (string.IsNullOrWhiteSpace(d.Title) ? 0 : 1) + (d.Date is null ? 0 : 1) + (d.Authors.Count > 0 ? 1 : 0) + (d.Categories.Count > 0 ? 1 : 0);

    private static string[] Differing(IReadOnlyList<int> members, IReadOnlyList<Document> documents)
    {
        var result = new List<string>();
        foreach (var field in ComparedFields)
        {
            var first = Value(documents[members[0]], field);
            if (members.Skip(1).Any(m => !string.Equals(Value(documents[m], field), first, StringComparison.Ordinal)))
            {
                result.Add(field);
            }
        }

        return [.. result];
    }

    /// <summary>The compared value of a metadata field (<c>title</c>, <c>date</c>, <c>source</c> or <c>authors</c>).</summary>
    public static string? Value(Document document, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return field switch
        {
            "title" => document.Title?.Trim(),
            "date" => document.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "source" => document.Source,
            "authors" => string.Join("; ", document.Authors),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "compare title, date, source or authors."),
        };
    }
}
