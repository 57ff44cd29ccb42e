using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>
/// Spectral initialisation of a possibly disconnected graph, as umap-learn's multi_component_layout: the components
/// are placed at a meta-layout of their centroids, and each is laid out by its own spectral embedding scaled to half
/// the distance to the nearest other component (uniform random for components too small for an eigenproblem).
/// </summary>
internal static class UmapComponents
{
    /// <summary>The N x dim initial layout, or <c>null</c> when the spectral solver fails.</summary>
    public static float[]? Layout(SparseGraph graph, Matrix data, int dim, int seed, int maxDop, CancellationToken cancellationToken)
    {
        var (labels, count) = UmapSpectral.Components(graph);
        if (count == 1)
        {
            return UmapSpectral.ConnectedLayout(graph, dim, seed, maxDop, cancellationToken);
        }

        var meta = MetaLayout(data, labels, count, dim, seed);
        if (meta is null)
        {
            return null;
        }

        var n = graph.Rows;
        var result = new float[n * dim];
        var random = new Random(seed);
        var members = new List<int>[count];
        for (var c = 0; c < count; c++)
        {
            members[c] = [];
        }

        for (var i = 0; i < n; i++)
        {
            members[labels[i]].Add(i);
        }

        for (var c = 0; c < count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var range = double.PositiveInfinity;
            for (var other = 0; other < count; other++)
            {
                var distance = Distance(meta, c, other, dim);
                if (distance > 0)
                {
                    range = Math.Min(range, distance / 2);
                }
            }

            if (double.IsPositiveInfinity(range))
            {
                return null;
            }

            var vertices = members[c];
            var local = vertices.Count >= 2 * dim && vertices.Count > dim + 1
                ? UmapSpectral.ConnectedLayout(Subgraph(graph, vertices, labels), dim, seed + c, maxDop, cancellationToken)
                : null;
            var scale = 0f;
            if (local is not null)
            {
                foreach (var v in local)
                {
                    scale = Math.Max(scale, Math.Abs(v));
                }
            }

            for (var p = 0; p < vertices.Count; p++)
            {
                for (var t = 0; t < dim; t++)
                {
                    var offset = local is not null && scale > 0
                        ? local[(p * dim) + t] * range / scale
                        : ((random.NextDouble() * 2) - 1) * range;
                    result[(vertices[p] * dim) + t] = (float)(meta[(c * dim) + t] + offset);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Component positions: the +-unit axes when there are at most 2 dim components (as umap-learn), otherwise the
    /// principal components of the component centroids scaled to a largest coordinate of 1.
    /// </summary>
    private static double[]? MetaLayout(Matrix data, int[] labels, int count, int dim, int seed)
    {
        var meta = new double[count * dim];
        if (count <= 2 * dim)
        {
            for (var c = 0; c < count; c++)
            {
                meta[(c * dim) + (c % dim)] = c < dim ? 1 : -1;
            }

            return meta;
        }

        var centroids = new Matrix(count, data.Columns);
        var sizes = new int[count];
        for (var i = 0; i < data.Rows; i++)
        {
            sizes[labels[i]]++;
            var row = data.RowReadOnly(i);
            var target = centroids.Row(labels[i]);
            for (var t = 0; t < row.Length; t++)
            {
                target[t] += row[t];
            }
        }

        for (var c = 0; c < count; c++)
        {
            var target = centroids.Row(c);
            for (var t = 0; t < target.Length; t++)
            {
                target[t] /= sizes[c];
            }
        }

        if (dim > Math.Min(count, data.Columns))
        {
            return null;
        }

        var projected = new Pca(new PcaOptions(dim) { Seed = seed }).Fit(centroids).Embedding.Data;
        var max = 0.0;
        foreach (var v in projected)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        if (!(max > 0))
        {
            return null;
        }

        for (var i = 0; i < meta.Length; i++)
        {
            meta[i] = projected[i] / max;
        }

        return meta;
    }

    private static SparseGraph Subgraph(SparseGraph graph, List<int> vertices, int[] labels)
    {
        var local = new Dictionary<int, int>(vertices.Count);
        for (var p = 0; p < vertices.Count; p++)
        {
            local[vertices[p]] = p;
        }

        var start = new int[vertices.Count + 1];
        var cols = new List<int>();
        var weights = new List<float>();
        for (var p = 0; p < vertices.Count; p++)
        {
            var i = vertices[p];
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                // A component's edges stay inside it; the ascending vertex order keeps columns sorted.
                if (labels[graph.Cols[e]] == labels[i])
                {
                    cols.Add(local[graph.Cols[e]]);
                    weights.Add(graph.Weights[e]);
                }
            }

            start[p + 1] = cols.Count;
        }

        return new SparseGraph(vertices.Count, vertices.Count, start, [.. cols], [.. weights]);
    }

    private static double Distance(double[] meta, int a, int b, int dim)
    {
        var sum = 0.0;
        for (var t = 0; t < dim; t++)
        {
            var d = meta[(a * dim) + t] - meta[(b * dim) + t];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }
}
