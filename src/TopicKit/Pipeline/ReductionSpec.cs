using System.Globalization;

namespace TopicKit.Pipeline;

/// <summary>Which dimensionality reduction runs before clustering.</summary>
public enum ReductionKind
{
    /// <summary>Cluster the input vectors as they are.</summary>
    None = 0,

    /// <summary>UMAP to a few dimensions (BERTopic's default before HDBSCAN).</summary>
    Umap = 1,

    /// <summary>PCA to a few dimensions.</summary>
    Pca = 2,
}

/// <summary>A reduction and its output dimension, written <c>umap:5</c>, <c>pca:50</c> or <c>none</c> on the command line.</summary>
/// <param name="Kind">The method.</param>
/// <param name="Components">Output dimensions (0 for <see cref="ReductionKind.None"/>).</param>
public sealed record ReductionSpec(ReductionKind Kind, int Components)
{
    /// <summary>UMAP components when <c>umap</c> is given without a number (BERTopic's default).</summary>
    public const int DefaultUmapComponents = 5;

    /// <summary>PCA components when <c>pca</c> is given without a number.</summary>
    public const int DefaultPcaComponents = 50;

    /// <summary>No reduction.</summary>
    public static ReductionSpec None { get; } = new(ReductionKind.None, 0);

    /// <summary>Parses <c>none</c>, <c>umap</c>, <c>umap:N</c>, <c>pca</c> or <c>pca:N</c> (case-insensitive, N ≥ 1).</summary>
    /// <exception cref="ArgumentException">Any other spelling; the message lists the valid ones.</exception>
    public static ReductionSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? trimmed : trimmed[..colon];
        int? count = null;
        if (colon >= 0)
        {
            if (!int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                throw new ArgumentException($"Reduction '{text}': the dimension after ':' must be a whole number >= 1 (e.g. umap:5, pca:50).", "Reduction");
            }

            count = parsed;
        }

        return name switch
        {
            "none" when count is null => None,
            "umap" => new ReductionSpec(ReductionKind.Umap, count ?? DefaultUmapComponents),
            "pca" => new ReductionSpec(ReductionKind.Pca, count ?? DefaultPcaComponents),
            _ => throw new ArgumentException($"Reduction '{text}' is not understood; use none, umap:N or pca:N (e.g. umap:5).", "Reduction"),
        };
    }

    /// <summary>The command-line spelling (<c>none</c>, <c>umap:5</c>, ...).</summary>
    public override string ToString() => Kind == ReductionKind.None
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{Kind.ToString().ToLowerInvariant()}:{Components}");
}
