using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TopicKit.Neighbors;

namespace TopicKit.Pipeline;

/// <summary>
/// What a clustering run asked for, what ran and its headline figures: the parameters of its run record (snake_case
/// JSON) and the first part of <c>topickit cluster --json</c>. Fields of the other algorithm or of an unused UMAP are null
/// and left out of the JSON.
/// </summary>
public sealed record ClusterSummary
{
    /// <summary><c>hdbscan</c> or <c>kmeans</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The input file or model id.</summary>
    public required string Input { get; init; }

    /// <summary>The embedding model, when the rows are workspace vectors.</summary>
    public string? Model { get; init; }

    /// <summary>The embedded text, when the rows are workspace vectors.</summary>
    public string? Text { get; init; }

    /// <summary>Input rows.</summary>
    public int Rows { get; init; }

    /// <summary>Input columns.</summary>
    public int Columns { get; init; }

    /// <summary>The reduction asked for (or the algorithm's default), e.g. <c>umap:5</c>.</summary>
    public required string ReduceRequested { get; init; }

    /// <summary>The reduction that ran (<c>none</c> when it was skipped).</summary>
    public required string Reduce { get; init; }

    /// <summary>Columns of the clustered space.</summary>
    public int ReducedColumns { get; init; }

    /// <summary>UMAP's input metric, when UMAP ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UmapMetric { get; init; }

    /// <summary>UMAP's neighbourhood size, when UMAP ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UmapNeighbors { get; init; }

    /// <summary>UMAP's minimum distance, when UMAP ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? UmapMinDist { get; init; }

    /// <summary>The clusterer's metric.</summary>
    public required string Metric { get; init; }

    /// <summary>The seed.</summary>
    public int Seed { get; init; }

    /// <summary>k-means: the k range tried, <c>A..B</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KRange { get; init; }

    /// <summary>k-means: the k used (the chosen one for a range).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? K { get; init; }

    /// <summary>k-means: restarts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NInit { get; init; }

    /// <summary>HDBSCAN: smallest cluster.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinClusterSize { get; init; }

    /// <summary>HDBSCAN: core-distance neighbours.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinSamples { get; init; }

    /// <summary>HDBSCAN: <c>eom</c> or <c>leaf</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    /// <summary>Clusters found (non-empty).</summary>
    public int Clusters { get; init; }

    /// <summary>Noise points.</summary>
    public int Noise { get; init; }

    /// <summary>Noise share of the points.</summary>
    public double NoiseShare { get; init; }

    /// <summary>Mean silhouette; null for fewer than 2 clusters.</summary>
    public double? Silhouette { get; init; }

    /// <summary>Points the silhouette was computed on.</summary>
    public int SilhouettePoints { get; init; }

    /// <summary>k-means: inertia in the clustered space.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Inertia { get; init; }

    /// <summary>k-means: Lloyd iterations of the kept restart.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Iterations { get; init; }

    /// <summary>k-means: whether it converged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Converged { get; init; }

    /// <summary>The summary of a finished run.</summary>
    public static ClusterSummary Create(ClusteringPipelineOptions options, ClusterInput input, ClusteringPipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(result);
        var kmeans = options.Algorithm == ClusterAlgorithm.KMeans;
        var umap = result.Reduction.Kind == ReductionKind.Umap;
        var km = result.KMeans;
        return new ClusterSummary
        {
            Algorithm = kmeans ? "kmeans" : "hdbscan",
            Input = input.Source,
            Model = input.ModelId,
            Text = input.Text,
            Rows = input.Vectors.Rows,
            Columns = input.Vectors.Columns,
            ReduceRequested = options.EffectiveReduction.ToString(),
            Reduce = result.Reduction.ToString(),
            ReducedColumns = result.ClusteredColumns,
            UmapMetric = umap ? (options.Metric ?? DistanceMetric.Cosine).ToString().ToLowerInvariant() : null,
            UmapNeighbors = umap ? options.UmapNeighbors : null,
            UmapMinDist = umap ? options.UmapMinDist : null,
            Metric = result.ClusterMetric.ToString().ToLowerInvariant(),
            Seed = options.Seed,
            KRange = kmeans && options.KRange is { } range ? string.Create(CultureInfo.InvariantCulture, $"{range.Min}..{range.Max}") : null,
            K = kmeans ? km!.K : null,
            NInit = kmeans ? options.NInit : null,
            MinClusterSize = kmeans ? null : options.MinClusterSize,
            MinSamples = kmeans ? null : options.MinSamples ?? options.MinClusterSize,
            Method = kmeans ? null : options.Method.ToString().ToLowerInvariant(),
            Clusters = result.Assignment.ClusterCount,
            Noise = result.NoiseCount,
            NoiseShare = result.NoiseShare,
            Silhouette = result.Silhouette,
            SilhouettePoints = result.SilhouettePoints,
            Inertia = km?.Inertia,
            Iterations = km?.Iterations,
            Converged = km?.Converged,
        };
    }

    /// <summary>The run record's parameters JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PipelineJsonContext.Default.ClusterSummary);
}

/// <summary>Source-generated, snake_case serialization of the records the stages store.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterSummary))]
internal sealed partial class PipelineJsonContext : JsonSerializerContext;
