namespace TopicKit.Embedding;

/// <summary>How token vectors are pooled into one sentence vector.</summary>
public enum ModelPooling
{
    /// <summary>Mean over the tokens the attention mask keeps.</summary>
    Mean,

    /// <summary>The hidden state of the first (<c>[CLS]</c>) token.</summary>
    Cls,
}

/// <summary>
/// One file of a downloadable model: where it goes in the local folder, where it comes from, and what it must hash to.
/// </summary>
/// <param name="Path">Path inside the model folder, with forward slashes (e.g. <c>1_Pooling/config.json</c>).</param>
/// <param name="Url">Absolute https source URL (Hugging Face <c>https://huggingface.co/&lt;repo&gt;/resolve/main/&lt;path&gt;</c>).</param>
/// <param name="Size">Exact byte size, or <see langword="null"/> when not known in advance (recorded at download time).</param>
/// <param name="Sha256">Lower-case hex sha256, or <see langword="null"/> when not known in advance (recorded at download time).</param>
public sealed record ModelFile(string Path, Uri Url, long? Size, string? Sha256)
{
    /// <summary>True when both size and hash are pinned by the manifest, so a download is checked against them.</summary>
    public bool IsPinned => Size is not null && Sha256 is not null;
}

/// <summary>
/// A known downloadable sentence-embedding model, read from a JSON manifest in the repository's <c>models/</c> folder
/// (embedded into the library). Describes the files to fetch and the encoder contract (dimension, pooling, prefixes).
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Registry name, lower case (e.g. <c>all-minilm-l6-v2</c>); also the installed folder name.</summary>
    public required string Name { get; init; }

    /// <summary>One-sentence human description.</summary>
    public required string Description { get; init; }

    /// <summary>Upstream model page.</summary>
    public Uri? Homepage { get; init; }

    /// <summary>SPDX-style licence id of the weights (e.g. <c>apache-2.0</c>, <c>mit</c>).</summary>
    public required string License { get; init; }

    /// <summary>Length of each output vector.</summary>
    public required int Dimension { get; init; }

    /// <summary>Pooling of token vectors into the sentence vector.</summary>
    public required ModelPooling Pooling { get; init; }

    /// <summary>Whether sentence vectors are L2-normalised after pooling.</summary>
    public required bool Normalize { get; init; }

    /// <summary>Maximum sequence length in tokens, including special tokens (256 for MiniLM, 512 for bge/gte).</summary>
    public required int MaxLength { get; init; }

    /// <summary>Text prepended to queries before encoding (empty when the model uses none).</summary>
    public string QueryPrefix { get; init; } = string.Empty;

    /// <summary>Text prepended to passages/documents before encoding (empty when the model uses none).</summary>
    public string PassagePrefix { get; init; } = string.Empty;

    /// <summary>Files to download, in download order; the ONNX graph is always <c>model.onnx</c> and always pinned.</summary>
    public required IReadOnlyList<ModelFile> Files { get; init; }

    /// <summary>Sum of the pinned file sizes: the download size, not counting files of unknown size.</summary>
    public long KnownBytes => Files.Sum(f => f.Size ?? 0);
}
