using FsCheck.Xunit;
using TopicKit.Corpus;
using TopicKit.Tests.Corpus;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

// Generated corpus files (valid records, truncations, mutations, random bytes): ingest exits 0 or 1, never 70.
public sealed partial class IngestCommandTests
{
    [Property(Arbitrary = [typeof(CorpusArbitraries)], MaxTest = 40)]
    public void TheIngestCommandNeverFailsInternally(CorpusCase file)
    {
        using var folder = new TempFolder("topickit-props-");
        var path = folder.Combine("case" + file.Extension);
        File.WriteAllBytes(path, file.Bytes);
        var ws = folder.Combine("cli-ws");
        var format = file.Format == CorpusFormat.Auto ? "auto" : CorpusFormatNames.Name(file.Format);

        var run = RunAsync("ingest", path, "-w", ws, "--format", format).GetAwaiter().GetResult();

        Assert.True(run.ExitCode is 0 or 1, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
    }
}
