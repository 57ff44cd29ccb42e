using System.CommandLine;
using TopicKit.Embedding;

namespace TopicKit.Cli.Commands;

/// <summary>
/// The model-related options of <c>embed</c>, <c>encode</c>, <c>embeddings export</c>, <c>cluster</c>, <c>tokenize</c>
/// and <c>models</c>. <c>--model</c> itself is <see cref="SharedOptions.Model"/>, resolved by <see cref="ModelSelection.Resolve"/>.
/// </summary>
internal static class EmbeddingModels
{
    public static Option<string?> ModelsDirOption() =>
        new("--models-dir") { Description = "Models folder (default: $TOPICKIT_MODELS, else ~/.cache/topickit/models).", HelpName = "DIR" };

    public static Option<int> BatchTokensOption() => SharedOptions.Int(
        "--batch-tokens", "Most tokens (padded batch rows x longest row) per ONNX batch.", new SentenceEncoderOptions().TokenBudget, 1);

    public static Option<int> ThreadsOption() => SharedOptions.Int("--threads", "ONNX Runtime intra-op threads (0 = one per core).", 0, 0);

    public static Option<int> DimOption() => SharedOptions.Int(
        "--dim", "Dimension of the lexical encoder when it is fitted.", new LexicalEncoderOptions().Dimension, 1);

    public static Option<string> TextOption(string description)
    {
        var option = new Option<string>("--text")
        {
            Description = description + " title+abstract ('Title. Abstract', the abstract alone when untitled), abstract or title.",
            DefaultValueFactory = _ => EmbeddingText.Name(EmbeddingTextField.TitleAbstract),
        };
        option.AcceptOnlyFromAmong([.. EmbeddingText.Names]);
        return option;
    }

    public static ModelStore Store(string? modelsDir) => ModelStore.Create(string.IsNullOrWhiteSpace(modelsDir) ? null : modelsDir);
}
