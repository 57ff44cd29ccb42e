namespace TopicKit.Storage;

/// <summary>Named binary artifacts (e.g. a fitted lexical encoder); obtain it from <see cref="Workspace.Artifacts"/>.</summary>
public sealed class ArtifactStore
{
    private readonly Workspace _workspace;

    internal ArtifactStore(Workspace workspace) => _workspace = workspace;

    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/>, replacing any previous content.</summary>
    public void Put(string name, byte[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(content);
        _workspace.Write(transaction => Put(transaction, name, content));
    }

    /// <summary>Stores an artifact inside a write transaction of another store (so a run and its artifacts commit together).</summary>
    internal int Put(Microsoft.Data.Sqlite.SqliteTransaction transaction, string name, byte[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(content);
        using var command = _workspace.Command(
            "INSERT OR REPLACE INTO artifacts (name, content, updated_utc) VALUES ($name, $content, $updated);", transaction);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$content", content);
        command.Parameters.AddWithValue("$updated", StoreValues.ToText(DateTimeOffset.UtcNow));
        return command.ExecuteNonQuery();
    }

    /// <summary>The content stored under <paramref name="name"/>, or <see langword="null"/>.</summary>
    public byte[]? Get(string name)
    {
        return _workspace.Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(name);
            using var command = _workspace.Command("SELECT content FROM artifacts WHERE name = $name;", null);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() as byte[];
        });
    }

    /// <summary>Every artifact's metadata, by name.</summary>
    public IReadOnlyList<ArtifactInfo> List()
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command("SELECT name, length(content), updated_utc FROM artifacts ORDER BY name;", null);
            using var reader = command.ExecuteReader();
            var artifacts = new List<ArtifactInfo>();
            while (reader.Read())
            {
                artifacts.Add(new ArtifactInfo(reader.GetString(0), reader.GetInt64(1), StoreValues.ToTime(reader.GetString(2))));
            }

            return artifacts;
        });
    }

    /// <summary>Deletes the artifact; returns whether it existed.</summary>
    public bool Delete(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _workspace.Write(transaction =>
        {
            using var command = _workspace.Command("DELETE FROM artifacts WHERE name = $name;", transaction);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteNonQuery() == 1;
        });
    }
}
