using System.CommandLine;
using TopicKit.Cli;

namespace TopicKit.Tests.Cli;

/// <summary>Help names the program <c>topickit</c>, not the assembly (<c>TopicKit.Cli</c>) or the test host.</summary>
public sealed class ProgramNameHelpTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "  topickit [command] [options]")]
    [InlineData(new[] { "models", "list", "--help" }, "  topickit models list [options]")]
    [InlineData(new[] { "ingest", "-h" }, "  topickit ingest <files>... [options]")]
    public async Task UsageLineStartsWithTopickit(string[] args, string expectedUsage)
    {
        var run = await CliTestKit.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expectedUsage, UsageLine(run.Stdout));
        Assert.DoesNotContain(RootCommand.ExecutableName + " ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpAfterAParseErrorIsRelabelledToo()
    {
        var run = await CliTestKit.RunAsync("models");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("  topickit models [command] [options]", UsageLine(run.Stdout));
    }

    [Fact]
    public async Task TheBuiltExecutableShowsTopickit()
    {
        using var process = CliTestKit.Start("--help");
        var run = await CliTestKit.WaitAsync(process);

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

    private static string UsageLine(string help)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n');
        var at = Array.IndexOf(lines, "Usage:");
        Assert.True(at >= 0 && at + 1 < lines.Length, "no Usage: section in:\n" + help);
        return lines[at + 1];
    }
}
