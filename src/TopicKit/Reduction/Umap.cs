using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>
/// Uniform Manifold Approximation and Projection (McInnes, Healy and Melville 2018), following umap-learn 0.5:
/// k-NN graph, fuzzy simplicial set, spectral initialisation and negative-sampling SGD. Unlike umap-learn, a seeded
/// run gives bit-identical output at every thread count (see <see cref="UmapOptions.Seed"/>).
/// </summary>
public sealed class Umap : IReducer
{
    /// <summary>Creates a UMAP reducer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When an option is out of range.</exception>
    public Umap(UmapOptions? options = null)
    {
        Options = options ?? new UmapOptions();
        Options.Validate();
    }

    /// <summary>The options this reducer was built with.</summary>
    public UmapOptions Options { get; }

    /// <inheritdoc />
    IFittedReducer IReducer.Fit(Matrix data, CancellationToken cancellationToken) => Fit(data, cancellationToken);

    /// <summary>Builds the fuzzy neighbour graph of <paramref name="data"/> and lays it out in <see cref="UmapOptions.NComponents"/> dimensions.</summary>
    /// <exception cref="ArgumentException">When the data has fewer than 2 rows or holds NaN/infinite values.</exception>
    public UmapModel Fit(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var n = data.Rows;
        if (n < 2 || data.Columns < 1)
        {
            throw new ArgumentException($"UMAP needs at least 2 rows with at least one column; got {n} x {data.Columns}.", nameof(data));
        }

        data.EnsureFinite("UMAP input");
        var o = Options;
        var k = Math.Min(o.NNeighbors, n);
        var knn = SelfNeighbors(data, k, cancellationToken);
        var (sigmas, rhos) = UmapGraph.SmoothKnnDist(knn, o.LocalConnectivity, o.MaxDegreeOfParallelism);
        var weights = UmapGraph.Memberships(knn, sigmas, rhos, selfIsZero: true);
        var graph = UmapGraph.FuzzyUnion(UmapGraph.Directed(knn, weights, n));
        var epochs = o.NEpochs ?? (n <= 10_000 ? 500 : 200);
        var defaultEpochs = n <= 10_000 ? 500 : 200;
        graph = graph.Pruned(graph.MaxWeight() / (epochs > 10 ? epochs : defaultEpochs));
        var (a, b) = UmapCurve.FitAB(o.Spread, o.MinDist);
        cancellationToken.ThrowIfCancellationRequested();

        var (embedding, init) = Initialize(data, graph, cancellationToken);
        if (graph.EdgeCount > 0)
        {
            var parameters = new UmapLayout.Parameters((float)a, (float)b, (float)o.RepulsionStrength, (float)o.LearningRate, o.NegativeSampleRate, epochs, o.Seed, o.MaxDegreeOfParallelism);
            UmapLayout.Optimize(embedding, null, o.NComponents, graph, parameters, cancellationToken);
        }

        return new UmapModel(o, data.Clone(), new Matrix(embedding, n, o.NComponents), a, b, init);
    }

    /// <summary>k nearest neighbours with the point itself first (distance 0), as umap-learn's graph construction expects.</summary>
    private KnnResult SelfNeighbors(Matrix data, int k, CancellationToken cancellationToken)
    {
        var o = Options;
        var n = data.Rows;
        var approximate = o.NeighborSearch == UmapNeighborSearch.Approximate
            || (o.NeighborSearch == UmapNeighborSearch.Auto && n > o.ExactNeighborsLimit);
        var others = approximate && n > k + 1
            ? NNDescent.SearchSelf(data, k - 1, o.Metric, o.Seed, o.MaxDegreeOfParallelism, cancellationToken)
            : ExactKnn.SearchSelf(data, k - 1, o.Metric, o.MaxDegreeOfParallelism, cancellationToken);
        var indices = new int[n * k];
        var distances = new float[n * k];
        for (var i = 0; i < n; i++)
        {
            indices[i * k] = i;
            others.IndicesOf(i).CopyTo(indices.AsSpan((i * k) + 1, k - 1));
            others.DistancesOf(i).CopyTo(distances.AsSpan((i * k) + 1, k - 1));
        }

        return new KnnResult(indices, distances, n, k);
    }

    private (float[] Embedding, UmapInit Used) Initialize(Matrix data, SparseGraph graph, CancellationToken cancellationToken)
    {
        var o = Options;
        var n = data.Rows;
        var dim = o.NComponents;
        var random = new Random(o.Seed);
        float[]? layout = null;
        var used = o.Init;
        if (used == UmapInit.Spectral)
        {
            layout = UmapComponents.Layout(graph, data, dim, o.Seed, o.MaxDegreeOfParallelism, cancellationToken);
            used = layout is null ? UmapInit.Pca : UmapInit.Spectral;
        }

        if (used == UmapInit.Pca)
        {
            if (dim <= Math.Min(n, data.Columns))
            {
                layout = new Pca(new PcaOptions(dim) { Seed = o.Seed }).Fit(data, cancellationToken).Embedding.Data;
            }
            else
            {
                used = UmapInit.Random;
            }
        }

        var embedding = new float[n * dim];
        if (used == UmapInit.Random)
        {
            for (var i = 0; i < embedding.Length; i++)
            {
                embedding[i] = (float)((random.NextDouble() * 20) - 10);
            }
        }
        else
        {
            // umap-learn: scale so the largest coordinate is 10, then add a little noise against degenerate starts.
            var max = 0f;
            foreach (var v in layout!)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            var expansion = max > 0 ? 10f / max : 1f;
            for (var i = 0; i < embedding.Length; i++)
            {
                embedding[i] = (layout[i] * expansion) + (float)(0.0001 * PcaSolver.Gaussian(random));
            }
        }

        // Then every coordinate is rescaled to [0, 10], as umap-learn does before the layout.
        for (var c = 0; c < dim; c++)
        {
            var lo = float.PositiveInfinity;
            var hi = float.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                lo = Math.Min(lo, embedding[(i * dim) + c]);
                hi = Math.Max(hi, embedding[(i * dim) + c]);
            }

            var scale = hi > lo ? 10f / (hi - lo) : 0f;
            for (var i = 0; i < n; i++)
            {
                embedding[(i * dim) + c] = (embedding[(i * dim) + c] - lo) * scale;
            }
        }

        return (embedding, used);
    }
}
