using System.Text;
using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>A private temporary folder for fixture files, deleted on dispose.</summary>
internal sealed class CorpusTestFiles : IDisposable
{
    public CorpusTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "topickit-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static Task<List<Document>> ReadAsync(string path, CorpusFormat format = CorpusFormat.Auto, CsvColumnMap? columns = null) =>
        CorpusReader.ReadAllAsync(path, new CorpusReadOptions { Format = format, Columns = columns });

    public static Task<List<Document>> ReadAsync(string path, CorpusReadOptions options) => CorpusReader.ReadAllAsync(path, options);

    /// <summary>Reads a file expecting failure, and returns the exception.</summary>
    public static async Task<CorpusFormatException> FailAsync(string path, CorpusFormat format = CorpusFormat.Auto, CorpusReadOptions? options = null)
    {
        var opts = options ?? new CorpusReadOptions { Format = format };
        var ex = await Assert.ThrowsAsync<CorpusFormatException>(async () =>
        {
            await foreach (var _ in CorpusReader.ReadAsync(path, opts))
            {
            }
        });
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains(Path.GetFileName(path), ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        return ex;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

/// <summary>Base for test classes that write fixture files: one private temp folder per test.</summary>
public abstract class CorpusFileTests : IDisposable
{
    private protected CorpusTestFiles Files { get; } = new();

    public void Dispose()
    {
        Files.Dispose();
        GC.SuppressFinalize(this);
    }
}
