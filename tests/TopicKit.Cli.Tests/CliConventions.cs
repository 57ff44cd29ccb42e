namespace TopicKit.Cli.Tests;

/// <summary>Assertions of the error convention every command follows (README.md, "Conventions").</summary>
internal static class CliConventions
{
    /// <summary>A usage error: exit 2, nothing on stdout, one <c>topickit: error:</c> line naming the problem, then the help hint.</summary>
    public static void AssertUsageError(CliRun run, string command, string message)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal(string.Empty, run.Stdout);
        var lines = run.ErrorLines;
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("topickit: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(message, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", lines[0], StringComparison.Ordinal);
        Assert.Equal($"see '{command} --help'", lines[1]);
    }

    /// <summary>A failure of another kind: the exit code, and exactly one stderr line, the error, naming the problem.</summary>
    public static void AssertError(CliRun run, int exitCode, string message)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode} (expected {exitCode}): {run.Stderr}");
        var line = Assert.Single(run.ErrorLines, l => l.StartsWith("topickit: error: ", StringComparison.Ordinal));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", line, StringComparison.Ordinal);
        Assert.All(run.ErrorLines, l => Assert.True(
            l.StartsWith("topickit", StringComparison.Ordinal), $"stray stderr line: {l}"));
    }
}
