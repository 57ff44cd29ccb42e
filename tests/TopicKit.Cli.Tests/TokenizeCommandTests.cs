using TopicKit.Cli.Commands;
using System.Text.Json;

using TopicKit.Tests.Text;

namespace TopicKit.Cli.Tests;

/// <summary>End-to-end <c>topickit tokenize</c> through the real command tree, checked against the oracle ids.</summary>
public sealed class TokenizeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("topickit-text-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WritesTheTruncatedWordpieceIdsOfEachLine()
    {
        var rows = TokenizerOracles.WordPiece.Keys.Where(id => id.StartsWith("long", StringComparison.Ordinal)).Concat(TokenizerOracles.WordPiece.Keys.Take(12)).ToList();
        var input = WriteInput(rows.Select(id => JsonSerializer.Serialize(new { id, text = TokenizerOracles.Texts[id] })));
        var output = _folder.Combine("ids.jsonl");

        var (code, stdout, stderr) = await CliRunner.RunAsync("tokenize", "--model", TokenizerOracles.ModelPath("tiny-bert"), "--input", input, "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains($"{rows.Count} texts", stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(output);
        Assert.Equal(rows.Count, lines.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(rows[i], doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(TokenizerOracles.Ints(TokenizerOracles.WordPiece[rows[i]], "ids"), TokenizerOracles.Ints(doc.RootElement, "ids"));
        }
    }

    [Fact]
    public async Task UsesTheChosenFieldAndOmitsAMissingIdForSentencepiece()
    {
        var rows = TokenizerOracles.UseLite.Keys.Take(5).Append("long1").ToList();
        var input = WriteInput(rows.Select(id => JsonSerializer.Serialize(new { abstract_text = TokenizerOracles.Texts[id] })));
        var output = _folder.Combine("ids.jsonl");

        var (code, stdout, stderr) = await CliRunner.RunAsync("tokenize", "--model", TokenizerOracles.ModelPath("use-lite"), "--input", input,
            "--field", "abstract_text", "--out", output, "--json");

        Assert.True(code == 0, stderr);
        using (var summary = JsonDocument.Parse(stdout))
        {
            Assert.Equal(rows.Count, summary.RootElement.GetProperty("texts").GetInt32());
            Assert.Equal(128, summary.RootElement.GetProperty("max_length").GetInt32());
        }

        var lines = File.ReadAllLines(output);
        for (var i = 0; i < rows.Count; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.False(doc.RootElement.TryGetProperty("id", out _));
            var expected = TokenizerOracles.Ints(TokenizerOracles.UseLite[rows[i]], "token_ids").Take(128);
            Assert.Equal(expected, TokenizerOracles.Ints(doc.RootElement, "ids"));
        }
    }

    [Fact]
    public async Task BadJsonlLineIsReportedByNumberAndNothingIsWritten()
    {
        var input = WriteInput(["{\"id\": 1, \"text\": \"fine\"}", "", "{\"id\": 2, \"text\": \"broken"]);
        var output = _folder.Combine("ids.jsonl");

        var (code, _, stderr) = await CliRunner.RunAsync("tokenize", "--model", TokenizerOracles.ModelPath("tiny-bert"), "--input", input, "--out", output);

        Assert.NotEqual(0, code);
        Assert.Contains("line 3", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_folder.Path, "ids.jsonl*"));
    }

    [Fact]
    public async Task MissingFieldIsNamed()
    {
        var input = WriteInput(["{\"id\": 1, \"title\": \"no text here\"}"]);
        var (code, _, stderr) = await CliRunner.RunAsync("tokenize", "--model", TokenizerOracles.ModelPath("tiny-bert"), "--input", input, "--out", _folder.Combine("o.jsonl"));

        Assert.NotEqual(0, code);
        Assert.Contains("line 1", stderr, StringComparison.Ordinal);
        Assert.Contains("\"text\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingModelFolderIsNamed()
    {
        var model = _folder.Combine("absent-model");
        var input = WriteInput(["{\"text\": \"x\"}"]);
        var (code, _, stderr) = await CliRunner.RunAsync("tokenize", "--model", model, "--input", input, "--out", _folder.Combine("o.jsonl"));

        Assert.NotEqual(0, code);
        Assert.Contains(model, stderr, StringComparison.Ordinal);
    }

    private string WriteInput(IEnumerable<string> lines)
    {
        var path = _folder.Combine("input.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        var output = _folder.Combine("ids.jsonl");

        CliConventions.AssertUsageError(await CliRunner.RunAsync("tokenize", "--model", _folder.Path, "--out", output), "topickit tokenize", "--input");
        CliConventions.AssertError(
            await CliRunner.RunAsync("tokenize", "--model", "lexical", "--input", output, "--out", output), ExitCodes.BadInput, "the lexical encoder has no tokenizer");
        CliConventions.AssertError(
            await CliRunner.RunAsync("tokenize", "--model", _folder.Combine("no-model"), "--input", output, "--out", output), ExitCodes.BadInput, "no-model");
        Assert.False(File.Exists(output));
    }
}
