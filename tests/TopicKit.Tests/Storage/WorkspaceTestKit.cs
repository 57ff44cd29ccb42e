using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using TopicKit.Corpus;

namespace TopicKit.Tests.Storage;

/// <summary>Builds documents and streams for workspace tests.</summary>
internal static class WorkspaceTestKit
{
    public static Document Doc(
        string id, string source, int position, string abstractText, string? title = null,
        string[]? authors = null, DateOnly? date = null, string[]? categories = null) =>
        new(id, title ?? "Title of " + id, abstractText, authors ?? ["A. Author"], date, categories ?? ["cs.LG"], source, position);

    /// <summary>A file of <paramref name="count"/> distinct documents named <c>{prefix}{i}</c>.</summary>
    public static List<Document> Records(string source, string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Doc($"{prefix}{i}", source, i, $"Abstract number {i} of {source} about topic {prefix}."))];

    public static async IAsyncEnumerable<Document> Stream(
        IEnumerable<Document> documents, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return document;
        }
    }

    /// <summary>Yields the first <paramref name="k"/> documents, then throws <see cref="IOException"/>.</summary>
    public static async IAsyncEnumerable<Document> ThrowingAfter(IEnumerable<Document> documents, int k)
    {
        var i = 0;
        foreach (var document in documents)
        {
            if (i++ == k)
            {
                throw new IOException($"simulated read failure after {k} records");
            }

            await Task.Yield();
            yield return document;
        }
    }

    /// <summary>A plain read-write connection to the database file in <paramref name="workspaceDirectory"/> (created if absent).</summary>
    public static SqliteConnection OpenRaw(string workspaceDirectory)
    {
        var connection = new SqliteConnection(
            $"Data Source={System.IO.Path.Combine(workspaceDirectory, TopicKit.Storage.Workspace.DatabaseFileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Every row of every table (and the schema version), read through a separate read-only connection.</summary>
    public static string Snapshot(string workspaceDirectory)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(workspaceDirectory, TopicKit.Storage.Workspace.DatabaseFileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var text = new StringBuilder();
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1, 2;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    var value = reader.GetValue(c);
                    text.Append(value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }
        }

        using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            text.Append("version ").Append(version.ExecuteScalar());
        }

        return text.ToString();
    }

    public static void AssertSameDocument(Document expected, Document actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Abstract, actual.Abstract);
        Assert.Equal(expected.Authors, actual.Authors);
        Assert.Equal(expected.Date, actual.Date);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Position, actual.Position);
    }
}
