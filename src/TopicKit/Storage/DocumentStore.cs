using Microsoft.Data.Sqlite;
using TopicKit.Corpus;

namespace TopicKit.Storage;

/// <summary>Read access to the documents of a <see cref="Workspace"/>; obtain it from <see cref="Workspace.Documents"/>.</summary>
public sealed class DocumentStore
{
    private const string DocumentColumns = "id, title, abstract, authors, date, categories, source, position";

    private readonly Workspace _workspace;

    internal DocumentStore(Workspace workspace) => _workspace = workspace;

    /// <summary>Number of stored documents.</summary>
    public int Count()
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command("SELECT COUNT(*) FROM documents;", null);
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Documents in ingestion order, each with its store id (see the id policy on <see cref="Workspace"/>).</summary>
    /// <param name="offset">Documents to skip.</param>
    /// <param name="limit">Most documents to return.</param>
    public IReadOnlyList<Document> List(int offset = 0, int limit = int.MaxValue)
    {
        return _workspace.Guard(() =>
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ArgumentOutOfRangeException.ThrowIfNegative(limit);
            using var command = _workspace.Command(
                $"SELECT {DocumentColumns} FROM documents ORDER BY seq LIMIT $limit OFFSET $offset;", null);
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$offset", offset);
            using var reader = command.ExecuteReader();
            var documents = new List<Document>();
            while (reader.Read())
            {
                documents.Add(ReadDocument(reader));
            }

            return documents;
        });
    }

    /// <summary>The document stored under <paramref name="id"/>, or <see langword="null"/>.</summary>
    public Document? Get(string id)
    {
        return _workspace.Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(id);
            using var command = _workspace.Command($"SELECT {DocumentColumns} FROM documents WHERE id = $id;", null);
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadDocument(reader) : null;
        });
    }

    /// <summary>The id a document carried in its source file (differs from its store id only when it was renamed).</summary>
    public string? GetOriginalId(string id)
    {
        return _workspace.Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(id);
            using var command = _workspace.Command("SELECT original_id FROM documents WHERE id = $id;", null);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteScalar() as string;
        });
    }

    /// <summary>
    /// Exact-duplicate groups (documents with the same <see cref="DuplicateKey"/>), each listing at least two ids in
    /// ingestion order; groups are ordered by their first member.
    /// </summary>
    /// <param name="documentIds">When given, only the groups containing at least one of these ids.</param>
    public IReadOnlyList<IReadOnlyList<string>> GetDuplicateGroups(IEnumerable<string>? documentIds = null)
    {
        var groups = _workspace.Read(transaction => ReadDuplicateGroups(_workspace, transaction, _ => true));
        if (documentIds is null)
        {
            return groups;
        }

        var wanted = new HashSet<string>(documentIds, StringComparer.Ordinal);
        return [.. groups.Where(group => group.Any(wanted.Contains))];
    }

    /// <summary>Summary statistics, all read from one snapshot.</summary>
    public CorpusStats GetStats() => _workspace.Read(ReadStats);

    internal static IReadOnlyList<IReadOnlyList<string>> ReadDuplicateGroups(
        Workspace workspace, SqliteTransaction transaction, Func<string, bool> keyFilter)
    {
        using var command = workspace.Command(
            """
            SELECT d.content_key, d.id FROM documents d
            JOIN (SELECT content_key, MIN(seq) AS first FROM documents GROUP BY content_key HAVING COUNT(*) > 1) g
              ON g.content_key = d.content_key
            ORDER BY g.first, d.seq;
            """,
            transaction);
        using var reader = command.ExecuteReader();
        var groups = new List<IReadOnlyList<string>>();
        string? currentKey = null;
        List<string>? current = null;
        while (reader.Read())
        {
            var key = reader.GetString(0);
            if (!string.Equals(key, currentKey, StringComparison.Ordinal))
            {
                currentKey = key;
                current = keyFilter(key) ? [] : null;
                if (current is not null)
                {
                    groups.Add(current);
                }
            }

            current?.Add(reader.GetString(1));
        }

        return groups;
    }

    private CorpusStats ReadStats(SqliteTransaction transaction)
    {
        using var totals = _workspace.Command(
            """
            SELECT COUNT(*),
                   COALESCE(SUM(title IS NOT NULL AND length(trim(title)) > 0), 0),
                   COALESCE(SUM(date IS NOT NULL), 0),
                   COALESCE(SUM(author_count > 0), 0),
                   COALESCE(SUM(primary_category IS NOT NULL), 0),
                   COALESCE(AVG(abstract_words), 0), COALESCE(MIN(abstract_words), 0), COALESCE(MAX(abstract_words), 0),
                   COALESCE(AVG(author_count), 0)
            FROM documents;
            """,
            transaction);
        using var reader = totals.ExecuteReader();
        reader.Read();
        var documents = reader.GetInt32(0);
        var withTitle = reader.GetInt32(1);
        var withDate = reader.GetInt32(2);
        var withAuthors = reader.GetInt32(3);
        var withCategories = reader.GetInt32(4);
        var averageWords = reader.GetDouble(5);
        var minWords = reader.GetInt32(6);
        var maxWords = reader.GetInt32(7);
        var averageAuthors = reader.GetDouble(8);

        var distinctAuthors = Scalar(transaction, "SELECT COUNT(DISTINCT a.value) FROM documents d, json_each(d.authors) a;");
        var groups = Scalar(transaction, "SELECT COUNT(*) FROM (SELECT 1 FROM documents GROUP BY content_key HAVING COUNT(*) > 1);");
        var inGroups = Scalar(
            transaction, "SELECT COALESCE(SUM(c), 0) FROM (SELECT COUNT(*) AS c FROM documents GROUP BY content_key HAVING c > 1);");

        return new CorpusStats(
            documents, withTitle, withDate, withAuthors, withCategories,
            averageWords, minWords, maxWords, averageAuthors, distinctAuthors, groups, inGroups,
            Counts(transaction, "SELECT source, COUNT(*) AS c FROM documents GROUP BY source ORDER BY c DESC, source;"),
            Counts(transaction, "SELECT substr(date, 1, 4) AS y, COUNT(*) FROM documents WHERE date IS NOT NULL GROUP BY y ORDER BY y;"),
            Counts(
                transaction,
                "SELECT primary_category, COUNT(*) AS c FROM documents WHERE primary_category IS NOT NULL GROUP BY primary_category ORDER BY c DESC, primary_category;"));
    }

    private int Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = _workspace.Command(sql, transaction);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private List<CountEntry> Counts(SqliteTransaction transaction, string sql)
    {
        using var command = _workspace.Command(sql, transaction);
        using var reader = command.ExecuteReader();
        var entries = new List<CountEntry>();
        while (reader.Read())
        {
            entries.Add(new CountEntry(reader.GetString(0), reader.GetInt32(1)));
        }

        return entries;
    }

    private static Document ReadDocument(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.GetString(2),
        StoreValues.FromJsonArray(reader.GetString(3)),
        StoreValues.ToDate(reader.GetValue(4)),
        StoreValues.FromJsonArray(reader.GetString(5)),
        reader.GetString(6),
        reader.GetInt32(7));
}
