using TopicKit.Cli.Commands;

namespace TopicKit.Cli.Tests;

public sealed partial class IngestCommandTests
{
    [Fact]
    public void GlobsExpandSortedDeduplicatedAndRecursiveWithDoubleStar()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "b.jsonl", "a.jsonl", "x.csv", "sub/c.jsonl", "sub/deep/d.jsonl" })
        {
            var path = folder.Combine(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "{}");
        }

        var expansions = InputFiles.Expand(["*.jsonl", "a.jsonl", "**/*.jsonl", "sub/*.jsonl", "none.csv", "sub", "*.bib"], folder.Path);

        Assert.Equal([folder.Combine("a.jsonl"), folder.Combine("b.jsonl")], expansions[0].Files);
        Assert.Empty(expansions[1].Files);
        Assert.Null(expansions[1].Error);
        Assert.Equal([folder.Combine("sub/c.jsonl"), folder.Combine("sub/deep/d.jsonl")], expansions[2].Files);
        Assert.Empty(expansions[3].Files);
        Assert.Equal("none.csv: file not found", expansions[4].Error);
        Assert.StartsWith("sub is a folder", expansions[5].Error, StringComparison.Ordinal);
        Assert.Equal("*.bib: no files match", expansions[6].Error);
    }
}
