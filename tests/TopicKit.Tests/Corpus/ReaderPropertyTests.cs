using FsCheck.Xunit;
using TopicKit.Corpus;
using TopicKit.Storage;
using TopicKit.Tests.Infrastructure;
using TopicKit.Tests.Storage;

namespace TopicKit.Tests.Corpus;

/// <summary>
/// Properties of every corpus reader on generated input (valid records, truncations, mutations, random bytes): the only
/// exception is the documented <see cref="CorpusFormatException"/>, intact files read back their ids, a failed file
/// leaves the workspace unchanged (the CLI half, never exit 70, is IngestCommandTests).
/// </summary>
public sealed class ReaderPropertyTests : IDisposable
{
    private readonly TempFolder _folder = new("topickit-props-");
    private int _files;

    public void Dispose() => _folder.Dispose();

    [Property(Arbitrary = [typeof(CorpusArbitraries)], MaxTest = 300)]
    public void ReadersThrowOnlyTheFormatErrorAndReadIntactFilesExactly(CorpusCase file)
    {
        var path = Write(file);
        List<Document>? documents = null;
        try
        {
            documents = CorpusReader.ReadAllAsync(path, new CorpusReadOptions { Format = file.Format }).GetAwaiter().GetResult();
        }
        catch (CorpusFormatException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains(Path.GetFileName(path), e.Message, StringComparison.Ordinal);
            Assert.Null(file.ExpectedIds);
        }

        if (file.ExpectedIds is { } ids)
        {
            Assert.NotNull(documents);
            Assert.Equal(ids, documents.Select(d => d.OwnId));
            Assert.Equal(documents.Count, documents.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Property(Arbitrary = [typeof(CorpusArbitraries)], MaxTest = 100)]
    public void AFailedFileLeavesTheWorkspaceUnchanged(CorpusCase file)
    {
        var path = Write(file);
        var ws = _folder.Combine("ws");
        using var workspace = Workspace.Open(ws);
        var before = WorkspaceTestKit.Snapshot(ws);
        try
        {
            workspace.IngestFileAsync(path, file.Format).GetAwaiter().GetResult();
        }
        catch (CorpusFormatException)
        {
            Assert.Equal(before, WorkspaceTestKit.Snapshot(ws));
        }
    }

    private string Write(CorpusCase file)
    {
        var path = _folder.Combine($"case{++_files}{file.Extension}");
        File.WriteAllBytes(path, file.Bytes);
        return path;
    }
}
