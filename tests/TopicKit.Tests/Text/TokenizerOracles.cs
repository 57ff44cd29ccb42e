using System.Text.Json;
using TopicKit.Tests.Infrastructure;
using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Oracle rows and tokenizers shared by the tokenizer tests (loaded once per test run).</summary>
internal static class TokenizerOracles
{
    private static readonly Lazy<Dictionary<string, string>> TextsLazy = new(() =>
        EmbeddingOracles.Texts().ToDictionary(r => r.Id, r => r.Text));

    private static readonly Lazy<Dictionary<string, JsonElement>> WordPieceLazy = new(() => ById("wordpiece-ids.jsonl"));
    private static readonly Lazy<Dictionary<string, JsonElement>> WordPieceExtraLazy = new(() => ById("wordpiece-ids-extra.jsonl"));
    private static readonly Lazy<Dictionary<string, JsonElement>> UseLiteLazy = new(() => ById("use-lite-token-ids.jsonl"));

    private static readonly Lazy<WordPieceTokenizer> MiniLmLazy = new(() => WordPieceTokenizer.FromModelFolder(ModelPath("all-MiniLM-L6-v2-tokenizer")));
    private static readonly Lazy<SentencePieceTokenizer> UseLiteTokenizerLazy = new(() => SentencePieceTokenizer.FromModelFolder(ModelPath("use-lite")));

    public static Dictionary<string, string> Texts => TextsLazy.Value;

    public static Dictionary<string, JsonElement> WordPiece => WordPieceLazy.Value;

    public static Dictionary<string, JsonElement> WordPieceExtra => WordPieceExtraLazy.Value;

    public static Dictionary<string, JsonElement> UseLite => UseLiteLazy.Value;

    public static WordPieceTokenizer MiniLm => MiniLmLazy.Value;

    public static SentencePieceTokenizer UseLiteTokenizer => UseLiteTokenizerLazy.Value;

    public static string ModelPath(string name) => SharedData.Path("models", name);

    public static int[] Ints(JsonElement row, string field) =>
        [.. row.GetProperty(field).EnumerateArray().Select(e => e.GetInt32())];

    public static TheoryData<string> Ids(string file)
    {
        var data = new TheoryData<string>();
        foreach (var row in EmbeddingOracles.Rows(file))
        {
            data.Add(EmbeddingOracles.Id(row));
        }

        return data;
    }

    private static Dictionary<string, JsonElement> ById(string file) => EmbeddingOracles.Rows(file).ToDictionary(EmbeddingOracles.Id);
}
