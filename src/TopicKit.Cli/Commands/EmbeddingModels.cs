using System.CommandLine;
using Microsoft.ML.OnnxRuntime;
using TopicKit.Embedding;

namespace TopicKit.Cli.Commands;

/// <summary>What <c>--model</c> resolved to: the offline lexical encoder, or an ONNX model folder (from the registry or a path).</summary>
/// <param name="Spec">What the user passed, or the chosen default's name.</param>
/// <param name="IsDefault">True when <c>--model</c> was not given.</param>
/// <param name="Folder">The ONNX model folder; null for lexical.</param>
/// <param name="Manifest">The registry entry when <see cref="Spec"/> named an installed model.</param>
internal sealed record ModelChoice(string Spec, bool IsDefault, string? Folder, ModelManifest? Manifest)
{
    public bool IsLexical => Folder is null;

    /// <summary>A one-line note on which model is used and why, e.g. for a default choice.</summary>
    public string Describe() => (IsLexical, IsDefault) switch
    {
        (true, true) => "using model 'lexical' (TF-IDF + SVD, the offline default: no registry model is installed; pass --model to choose)",
        (false, true) => $"using installed model '{Spec}' (default; pass --model to choose, --model lexical for the offline encoder)",
        (true, false) => "using model 'lexical' (TF-IDF + SVD)",
        _ => $"using model '{Spec}' from {Folder}",
    };
}

/// <summary>The <c>--model</c>-related options shared by <c>embed</c>, <c>encode</c> and <c>embeddings export</c>, and model loading.</summary>
internal static class EmbeddingModels
{
    public const string Lexical = "lexical";

    /// <summary>JSON output options: '+' and non-ASCII stay readable (stdout is UTF-8 text, not HTML).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Registry models preferred as the default, in order; any other installed model comes after them.</summary>
    private static readonly string[] Preferred = ["all-minilm-l6-v2"];

    public static Option<string?> ModelsDirOption() =>
        new("--models-dir") { Description = "Models folder (default: $TOPICKIT_MODELS, else ~/.cache/topickit/models).", HelpName = "DIR" };

    public static Option<int> BatchTokensOption() => new("--batch-tokens")
    {
        Description = "Most tokens (padded batch rows x longest row) per ONNX batch.",
        DefaultValueFactory = _ => new SentenceEncoderOptions().TokenBudget,
        HelpName = "N",
    };

    public static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (0 = one per core).",
        HelpName = "N",
    };

    public static Option<int> DimOption() => new("--dim")
    {
        Description = "Dimension of the lexical encoder when it is fitted.",
        DefaultValueFactory = _ => new LexicalEncoderOptions().Dimension,
        HelpName = "N",
    };

    /// <summary>Reports the first integer option below its minimum as a usage error.</summary>
    public static bool CheckMinimum(ParseResult parseResult, params (Option<int> Option, int Minimum)[] checks)
    {
        foreach (var (option, minimum) in checks)
        {
            var value = parseResult.GetValue(option);
            if (value < minimum)
            {
                CliSupport.Error(parseResult, $"{option.Name} must be at least {minimum}, got {value}.");
                return false;
            }
        }

        return true;
    }

    public static ModelStore Store(string? modelsDir) => ModelStore.Create(string.IsNullOrWhiteSpace(modelsDir) ? null : modelsDir);

    /// <summary>Resolves <paramref name="spec"/>; without one, the first installed registry model (all-minilm-l6-v2 first), else lexical.</summary>
    /// <exception cref="ModelResolutionException">An unknown name, a model that is not installed, or a missing folder.</exception>
    public static ModelChoice Choose(string? spec, ModelStore store)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            var installed = store.GetInstalled();
            var pick = Preferred.Select(name => installed.FirstOrDefault(m => m.Name == name)).FirstOrDefault(m => m is not null)
                ?? installed.FirstOrDefault();
            return pick is null
                ? new ModelChoice(Lexical, true, null, null)
                : new ModelChoice(pick.Name, true, store.GetModelDirectory(pick), pick);
        }

        if (string.Equals(spec.Trim(), Lexical, StringComparison.OrdinalIgnoreCase))
        {
            return new ModelChoice(Lexical, false, null, null);
        }

        var resolver = new ModelResolver(store);
        return new ModelChoice(spec.Trim(), false, resolver.Resolve(spec), resolver.FindManifest(spec));
    }

    /// <summary>
    /// Loads the ONNX model of <paramref name="choice"/>. For an installed registry model the files are checked against the
    /// install record first (sizes) and after loading (the model file's sha256, which loading computes anyway).
    /// </summary>
    public static OnnxSentenceEncoder LoadOnnx(ModelChoice choice, ModelStore store, SentenceEncoderOptions options)
    {
        var folder = choice.Folder ?? throw new InvalidOperationException("lexical has no ONNX model");
        if (choice.Manifest is { } manifest)
        {
            store.EnsureUnchanged(manifest);
        }

        OnnxSentenceEncoder encoder;
        try
        {
            encoder = OnnxSentenceEncoder.Load(folder, options);
        }
        catch (Exception e) when (choice.Manifest is not null && e is OnnxRuntimeException or InvalidDataException)
        {
            // A same-sized but altered file can fail to parse: blame the alteration rather than the model format.
            var modelPath = Path.Combine(folder, "model.onnx");
            if (File.Exists(modelPath))
            {
                using var stream = File.OpenRead(modelPath);
                store.EnsureUnchanged(choice.Manifest, ("model.onnx", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))));
            }

            throw;
        }

        if (choice.Manifest is { } installed)
        {
            try
            {
                store.EnsureUnchanged(installed, (Path.GetRelativePath(folder, encoder.Config.ModelPath), encoder.ModelSha256));
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }

        return encoder;
    }

    /// <summary>Maps model errors to exit codes beyond <see cref="CliSupport.ExitCode"/>: they are all bad input.</summary>
    public static int Fail(ParseResult parseResult, Exception exception)
    {
        if (exception is ModelResolutionException or OnnxRuntimeException or FileNotFoundException or DirectoryNotFoundException)
        {
            CliSupport.Error(parseResult, exception.Message);
            return ExitCodes.BadInput;
        }

        return CliSupport.Fail(parseResult, exception);
    }
}
