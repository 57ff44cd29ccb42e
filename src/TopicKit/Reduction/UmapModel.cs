using System.Text.Json.Nodes;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Reduction;

/// <summary>A fitted UMAP: the embedding of the training points and what is needed to place new points beside them.</summary>
public sealed class UmapModel : IFittedReducer
{
    internal const string Format = "umap";

    private readonly Matrix _training;

    internal UmapModel(UmapOptions options, Matrix training, Matrix embedding, double a, double b, UmapInit initialization)
    {
        Options = options;
        _training = training;
        Embedding = embedding;
        A = a;
        B = b;
        Initialization = initialization;
    }

    /// <summary>The options of the fit.</summary>
    public UmapOptions Options { get; }

    /// <inheritdoc />
    public string Kind => Format;

    /// <inheritdoc />
    public Matrix Embedding { get; }

    /// <summary>Fitted <c>a</c> of the output similarity curve 1 / (1 + a d^(2b)).</summary>
    public double A { get; }

    /// <summary>Fitted <c>b</c> of the output similarity curve 1 / (1 + a d^(2b)).</summary>
    public double B { get; }

    /// <summary>The initialisation actually used (spectral falls back to PCA when the eigensolver fails).</summary>
    public UmapInit Initialization { get; }

    /// <inheritdoc />
    /// <remarks>
    /// As umap-learn: each new point starts at the membership-weighted mean of its training neighbours' positions
    /// (at a neighbour's position when it coincides with it), then a third of the epochs of SGD at a quarter of the
    /// learning rate moves the new points only, with the training embedding fixed.
    /// </remarks>
    /// <exception cref="ArgumentException">When the column count differs from the training data or values are not finite.</exception>
    public Matrix Transform(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != _training.Columns)
        {
            throw new ArgumentException($"UMAP was fitted on {_training.Columns} columns but the data has {data.Columns}.", nameof(data));
        }

        var o = Options;
        var dim = Embedding.Columns;
        if (data.Rows == 0)
        {
            return new Matrix(0, dim);
        }

        var k = Math.Min(o.NNeighbors, _training.Rows);
        var knn = ExactKnn.Search(_training, data, k, o.Metric, o.MaxDegreeOfParallelism, cancellationToken);
        var (sigmas, rhos) = UmapGraph.SmoothKnnDist(knn, Math.Max(0, o.LocalConnectivity - 1), o.MaxDegreeOfParallelism);
        var graph = UmapGraph.Directed(knn, UmapGraph.Memberships(knn, sigmas, rhos, selfIsZero: false), _training.Rows);
        var result = new float[data.Rows * dim];
        var training = Embedding.Data;
        for (var i = 0; i < data.Rows; i++)
        {
            var target = result.AsSpan(i * dim, dim);
            var sum = 0f;
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                sum += graph.Weights[e];
            }

            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                var source = training.AsSpan(graph.Cols[e] * dim, dim);
                if (graph.Weights[e] == 1f)
                {
                    source.CopyTo(target);
                    break;
                }

                for (var c = 0; c < dim; c++)
                {
                    target[c] += graph.Weights[e] / sum * source[c];
                }
            }
        }

        var epochs = o.NEpochs is { } fitted ? Math.Max(1, fitted / 3) : data.Rows <= 10_000 ? 100 : 30;
        graph = graph.Pruned(graph.MaxWeight() / epochs);
        if (graph.EdgeCount > 0)
        {
            var parameters = new UmapLayout.Parameters((float)A, (float)B, (float)o.RepulsionStrength, (float)(o.LearningRate / 4), o.NegativeSampleRate, epochs, o.Seed, o.MaxDegreeOfParallelism);
            UmapLayout.Optimize(result, (float[])training.Clone(), dim, graph, parameters, cancellationToken);
        }

        return new Matrix(result, data.Rows, dim);
    }

    /// <inheritdoc />
    /// <remarks>Writes the options, the fitted curve, the training points and their embedding: all that <see cref="Transform"/> needs.</remarks>
    public void Save(string directory)
    {
        FittedReducers.Write(directory, Format, Embedding, _training.Columns, new JsonObject
        {
            ["options"] = ModelFolder.ToNode(Options with { MaxDegreeOfParallelism = -1 }),
            ["a"] = A,
            ["b"] = B,
            ["initialization"] = ModelFolder.ToNode(Initialization),
        });
        NpyFile.Write(Path.Combine(directory, FittedReducers.TrainingFile), _training);
    }
}
