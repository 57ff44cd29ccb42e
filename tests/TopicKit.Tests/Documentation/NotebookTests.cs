using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace TopicKit.Tests.Documentation;

/// <summary>
/// Every notebook in notebooks/ runs top to bottom in dotnet-repl (the repository's local tool, `dotnet tool restore`)
/// against the built library in notebooks/lib/bin, without a cell error, and shows what it promises inline.
/// </summary>
public sealed class NotebookTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static string NotebookFolder => Path.Combine(SharedData.RepoRoot, "notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var name in NotebookNames())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void TheThreeWalkthroughsExist() =>
        Assert.Subset(NotebookNames().ToHashSet(), new HashSet<string> { "01-quick-start.ipynb", "02-cluster-your-csv.ipynb", "03-find-duplicates.ipynb" });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task RunsWithoutACellErrorAndShowsTablesAndFigures(string name)
    {
        var library = Path.Combine(NotebookFolder, "lib", "bin", "TopicKit.dll");
        Assert.True(File.Exists(library), $"{library} is missing; build the solution (or notebooks/lib) first.");
        using var folder = new TempFolder("topickit-notebook-");
        var executed = folder.Combine(name);

        var run = await Repl(Path.Combine(NotebookFolder, name), executed);
        output.WriteLine(run.Stdout);
        output.WriteLine(run.Stderr);
        Assert.True(run.ExitCode == 0, $"dotnet-repl exited with {run.ExitCode} on {name}:\n{run.Stderr}\n{Tail(run.Stdout)}");

        using var notebook = JsonDocument.Parse(File.ReadAllText(executed));
        var cells = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code").ToArray();
        Assert.NotEmpty(cells);
        var outputs = cells.SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToArray();
        var errors = outputs.Where(o => o.GetProperty("output_type").GetString() == "error").ToArray();
        Assert.True(errors.Length == 0, $"{name}: {string.Join("\n", errors.Select(e => e.ToString()))}");
        var html = string.Concat(outputs.Select(Html));
        Assert.Contains("<table", html, StringComparison.Ordinal);
        Assert.True(html.Contains("data:image/png;base64,", StringComparison.Ordinal) || html.Contains("<svg", StringComparison.Ordinal), $"{name} shows no figure");
    }

    private static string[] NotebookNames() =>
        [.. Directory.GetFiles(NotebookFolder, "*.ipynb").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    /// <summary>The text/html of one display output, or "" for streams and plain values.</summary>
    private static string Html(JsonElement output)
    {
        if (!output.TryGetProperty("data", out var data) || !data.TryGetProperty("text/html", out var html))
        {
            return string.Empty;
        }

        return html.ValueKind == JsonValueKind.Array ? string.Concat(html.EnumerateArray().Select(l => l.GetString())) : html.GetString() ?? string.Empty;
    }

    /// <summary>Runs dotnet-repl on <paramref name="notebook"/>, from the notebooks folder as a reader would, writing the executed copy.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> Repl(string notebook, string executed)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(host) ? "dotnet" : host)
        {
            WorkingDirectory = NotebookFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "dotnet-repl", "--", "--run", notebook, "--exit-after-run", "--output-path", executed, "--output-format", "ipynb" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(notebook)} did not finish within {Timeout.TotalMinutes} minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
