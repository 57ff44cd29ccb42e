using Microsoft.Data.Sqlite;
using TopicKit.Corpus;

namespace TopicKit.Storage;

/// <summary>Writes one stream of documents inside a caller-owned transaction (see <see cref="Workspace"/> for the rules).</summary>
internal static class DocumentIngestor
{
    /// <summary>Separator between an id and its disambiguation counter.</summary>
    public const char IdSuffixSeparator = '~';

    public static async Task<IngestResult> IngestAsync(
        Workspace workspace,
        SqliteTransaction transaction,
        IAsyncEnumerable<Document> documents,
        string? label,
        CancellationToken cancellationToken)
    {
        using var find = workspace.Command(
            "SELECT id FROM documents WHERE source = $source AND content_key = $key AND occurrence = $occurrence;", transaction);
        var findSource = find.Parameters.Add("$source", SqliteType.Text);
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        var findOccurrence = find.Parameters.Add("$occurrence", SqliteType.Integer);

        using var exists = workspace.Command("SELECT 1 FROM documents WHERE id = $id;", transaction);
        var existsId = exists.Parameters.Add("$id", SqliteType.Text);

        using var insert = workspace.Command(
            """
            INSERT INTO documents (id, original_id, title, abstract, authors, date, categories, primary_category, source,
                                   position, content_key, occurrence, abstract_words, author_count, ingestion_id)
            VALUES ($id, $original, $title, $abstract, $authors, $date, $categories, $primary, $source,
                    $position, $key, $occurrence, $words, $authorCount, $ingestion);
            """,
            transaction);
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in new[] { "$id", "$original", "$title", "$abstract", "$authors", "$date", "$categories", "$primary", "$source", "$position", "$key", "$occurrence", "$words", "$authorCount", "$ingestion" })
        {
            // No declared type: each value binds with its own type (text, integer or NULL).
            p[name] = insert.Parameters.AddWithValue(name, DBNull.Value);
        }

        long? ingestionId = null;
        var occurrences = new Dictionary<(string Source, string Key), int>();
        var ids = new List<string>();
        var renamed = new List<RenamedDocument>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int read = 0, added = 0, skipped = 0;
        string? firstSource = null;

        await foreach (var document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Validate(document, read);
            firstSource ??= document.Source;
            var key = DuplicateKey.Compute(document);
            keys.Add(key);
            occurrences.TryGetValue((document.Source, key), out var occurrence);
            occurrences[(document.Source, key)] = occurrence + 1;

            findSource.Value = document.Source;
            findKey.Value = key;
            findOccurrence.Value = occurrence;
            if (find.ExecuteScalar() is string storedId)
            {
                ids.Add(storedId);
                skipped++;
                read++;
                continue;
            }

            ingestionId ??= StartIngestion(workspace, transaction, label ?? document.Source);
            // A repeat within the file is renamed here, from its own id, like an id taken by another file: the original
            // is kept and the rename reported.
            var ownId = document.OwnId;
            var id = FreeId(exists, existsId, ownId);
            if (!string.Equals(id, ownId, StringComparison.Ordinal))
            {
                renamed.Add(new RenamedDocument(ownId, id, document.Source, document.Position));
            }

            var categories = document.Categories ?? [];
            p["$id"].Value = id;
            p["$original"].Value = ownId;
            p["$title"].Value = (object?)document.Title ?? DBNull.Value;
            p["$abstract"].Value = document.Abstract;
            p["$authors"].Value = StoreValues.ToJsonArray(document.Authors);
            p["$date"].Value = (object?)StoreValues.ToText(document.Date) ?? DBNull.Value;
            p["$categories"].Value = StoreValues.ToJsonArray(categories);
            p["$primary"].Value = categories.Count > 0 && !string.IsNullOrWhiteSpace(categories[0]) ? categories[0] : DBNull.Value;
            p["$source"].Value = document.Source;
            p["$position"].Value = document.Position;
            p["$key"].Value = key;
            p["$occurrence"].Value = occurrence;
            p["$words"].Value = StoreValues.CountWords(document.Abstract);
            p["$authorCount"].Value = document.Authors?.Count ?? 0;
            p["$ingestion"].Value = ingestionId.Value;
            insert.ExecuteNonQuery();
            ids.Add(id);
            added++;
            read++;
        }

        if (ingestionId is { } idOfLog)
        {
            using var update = workspace.Command("UPDATE ingestions SET added = $added, skipped = $skipped WHERE id = $id;", transaction);
            update.Parameters.AddWithValue("$added", added);
            update.Parameters.AddWithValue("$skipped", skipped);
            update.Parameters.AddWithValue("$id", idOfLog);
            update.ExecuteNonQuery();
        }

        var groups = DocumentStore.ReadDuplicateGroups(workspace, transaction, group => keys.Contains(group));
        return new IngestResult(label ?? firstSource ?? string.Empty, read, added, skipped, ids, renamed, groups);
    }

    private static void Validate(Document? document, int index)
    {
        if (document is null)
        {
            throw new InvalidDataException($"record {index} of the stream is null.");
        }

        if (string.IsNullOrWhiteSpace(document.Source))
        {
            throw new InvalidDataException($"record {index} (id '{document.Id}') has no source file name.");
        }

        if (string.IsNullOrWhiteSpace(document.Id))
        {
            throw new InvalidDataException($"{document.Source}: record {document.Position} has an empty id.");
        }

        if (document.Abstract is null)
        {
            throw new InvalidDataException($"{document.Source}: record {document.Position} (id '{document.Id}') has no abstract.");
        }
    }

    private static long StartIngestion(Workspace workspace, SqliteTransaction transaction, string label)
    {
        using var command = workspace.Command(
            "INSERT INTO ingestions (label, started_utc, added, skipped) VALUES ($label, $started, 0, 0) RETURNING id;", transaction);
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$started", StoreValues.ToText(DateTimeOffset.UtcNow));
        return (long)command.ExecuteScalar()!;
    }

    private static string FreeId(SqliteCommand exists, SqliteParameter existsId, string id)
    {
        existsId.Value = id;
        if (exists.ExecuteScalar() is null)
        {
            return id;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{id}{IdSuffixSeparator}{n}";
            existsId.Value = candidate;
            if (exists.ExecuteScalar() is null)
            {
                return candidate;
            }
        }
    }
}
