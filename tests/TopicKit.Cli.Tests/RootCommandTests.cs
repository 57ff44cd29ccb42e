using System.CommandLine;
using TopicKit.Cli.Commands;

namespace TopicKit.Cli.Tests;

/// <summary>The root command: help (named <c>topickit</c>, not the assembly or the test host), the version, the shared defaults.</summary>
public sealed class RootCommandTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "  topickit [command] [options]")]
    [InlineData(new[] { "models", "list", "--help" }, "  topickit models list [options]")]
    [InlineData(new[] { "ingest", "-h" }, "  topickit ingest <files>... [options]")]
    public async Task UsageLineStartsWithTopickit(string[] args, string expectedUsage)
    {
        var run = await CliRunner.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expectedUsage, UsageLine(run.Stdout));
        Assert.DoesNotContain(RootCommand.ExecutableName + " ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AParseErrorIsOneErrorLineAndTheHelpHintNotTheHelpText()
    {
        var missing = await CliRunner.RunAsync("models");
        var unknown = await CliRunner.RunAsync("embeddings", "export", "--bogus");

        CliConventions.AssertUsageError(missing, "topickit models", "Required command was not provided");
        CliConventions.AssertUsageError(unknown, "topickit embeddings export", "'--bogus'");
    }

    [Fact]
    public async Task TheBuiltExecutableShowsTopickit()
    {
        using var process = CliRunner.Start("--help");
        var run = await CliRunner.WaitAsync(process);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("  topickit [command] [options]", UsageLine(run.Stdout));
        Assert.DoesNotContain("TopicKit.Cli", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Usage:\n  TopicKit.Cli docs list [options]\n", "Usage:\n  topickit docs list [options]\n")]
    [InlineData("Usage:\r\n  TopicKit.Cli\r\n", "Usage:\r\n  topickit\r\n")]
    [InlineData("Description:\n  TopicKit.Cli is here\n\nUsage:\n  TopicKit.Cli [options]\n", "Description:\n  TopicKit.Cli is here\n\nUsage:\n  topickit [options]\n")]
    [InlineData("Usage:\n  TopicKit.CliX run\n", "Usage:\n  TopicKit.CliX run\n")]
    public void RelabelTouchesOnlyTheProgramNameOfTheUsageLine(string help, string expected) =>
        Assert.Equal(expected, ProgramNameHelp.Relabel(help, "TopicKit.Cli", "topickit"));

    [Fact]
    public async Task VersionPrintsTheLibraryVersion()
    {
        // In-process the version option reports the test host's entry assembly, so run the real executable.
        using var process = CliRunner.Start("--version");
        var run = await CliRunner.WaitAsync(process);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(TopicKit.TopicKitInfo.Version, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkspaceDefaultsToTheEnvironmentThenDotTopickit()
    {
        Assert.Equal("given", SharedOptions.ChooseWorkspace("given", "from-env"));
        Assert.Equal("from-env", SharedOptions.ChooseWorkspace(null, "from-env"));
        Assert.Equal(".topickit", SharedOptions.ChooseWorkspace(null, null));
        Assert.Equal(".topickit", SharedOptions.ChooseWorkspace(" ", ""));
    }

    private static string UsageLine(string help)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n');
        var at = Array.IndexOf(lines, "Usage:");
        Assert.True(at >= 0 && at + 1 < lines.Length, "no Usage: section in:\n" + help);
        return lines[at + 1];
    }

    [Fact]
    public async Task HelpListsTheCommandsInWorkflowOrderWithShortDescriptions()
    {
        var run = await CliRunner.RunAsync("--help");

        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, "Commands:");
        Assert.True(start >= 0, run.Stdout);
        var commands = lines.Skip(start + 1).TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]).ToList();
        string[] workflow = ["ingest", "docs", "embed", "embeddings", "cluster", "topics", "dupes", "search", "report", "run", "assign", "encode", "tokenize", "reduce", "models"];
        Assert.Equal([.. workflow.Where(commands.Contains)], commands);
        Assert.Subset(new HashSet<string>(workflow), new HashSet<string>(commands));
        foreach (var command in CliApp.BuildRoot().Subcommands)
        {
            Assert.True(command.Description!.Length <= 160, $"{command.Name}: {command.Description}");
        }
    }
}
