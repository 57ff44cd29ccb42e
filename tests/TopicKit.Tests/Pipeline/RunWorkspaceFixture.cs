using System.Text.Json;
using TopicKit.Pipeline;

namespace TopicKit.Tests.Pipeline;

/// <summary>
/// One <c>topickit run</c> (the library's <see cref="RunJob"/>, lexical encoder, seed 0) on the five seed pages plus an
/// XSS probe document, shared by the tests of a class. Tests that add runs work on a <see cref="CopyWorkspace"/>.
/// </summary>
public sealed class RunWorkspaceFixture : IDisposable
{
    /// <summary>The probe's title: markup, a script, an event handler, U+2028 and both quotes.</summary>
    public const string ProbeTitle = "<script>document.title='pwned'</script><img src=x onerror=\"window.__xss=1\">\u2028\"double\" 'single'";

    public const string ProbeId = "xss-probe";

    private readonly TempFolder _temp = new();

    public RunWorkspaceFixture()
    {
        Workspace = _temp.Combine("ws");
        Out = _temp.Combine("run-out");
        var probe = _temp.Combine("probe.jsonl");
        File.WriteAllText(probe, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = ProbeId,
            ["title"] = ProbeTitle,
            ["abstract"] = "An abstract with a line\u2028separator, </script><script>window.__xss=2</script> and <b data-pwned=1>bold</b> text about probes.",
            ["date"] = "2024-01-01",
        }) + "\n");
        var inputs = Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal).Append(probe).Select(p => new IngestInput(p)).ToArray();
        Result = RunJob.RunAsync(new RunRequest(Workspace, Out) { Inputs = inputs, Model = "lexical" }).GetAwaiter().GetResult();
    }

    public string Workspace { get; }

    /// <summary>The run's own report folder.</summary>
    public string Out { get; }

    public RunJobResult Result { get; }

    /// <summary>Documents in the workspace (the 140 seed records and the probe).</summary>
    public int Documents => Result.Model.DocumentCount;

    public string Combine(string name) => _temp.Combine(name);

    /// <summary>A private copy of the workspace folder (database and any journal files), for a test that records more runs.</summary>
    public string CopyWorkspace(string name)
    {
        var copy = _temp.Combine(name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Workspace))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => _temp.Dispose();
}
