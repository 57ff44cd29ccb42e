using System.Text.Json.Nodes;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Reduction;

/// <summary>A fitted PCA: principal axes, the mean removed before projecting, and the variance each axis explains.</summary>
public sealed class PcaModel : IFittedReducer
{
    internal const string Format = "pca";

    private readonly float[] _scales;

    internal PcaModel(Matrix components, float[] mean, double[] explainedVariance, double[] explainedVarianceRatio, bool whiten, Matrix centeredTraining)
        : this(components, mean, explainedVariance, explainedVarianceRatio, whiten)
    {
        Embedding = Project(centeredTraining, centered: true, CancellationToken.None);
    }

    private PcaModel(Matrix components, float[] mean, double[] explainedVariance, double[] explainedVarianceRatio, bool whiten)
    {
        Components = components;
        Mean = mean;
        ExplainedVariance = explainedVariance;
        ExplainedVarianceRatio = explainedVarianceRatio;
        Whiten = whiten;
        _scales = new float[components.Rows];
        for (var i = 0; i < _scales.Length; i++)
        {
            _scales[i] = whiten && explainedVariance[i] > 0 ? (float)(1.0 / Math.Sqrt(explainedVariance[i])) : 1f;
        }

        Embedding = new Matrix(0, components.Rows);
    }

    /// <summary>Principal axes as rows (components x input dimensions), orthonormal, by decreasing variance.</summary>
    public Matrix Components { get; }

    /// <summary>The column means subtracted before projecting (zeros when centering is off).</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Variance of the training data along each component (divided by rows - 1).</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Share of the total variance explained by each component.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Whether outputs are scaled to unit variance per component.</summary>
    public bool Whiten { get; }

    /// <inheritdoc />
    public Matrix Embedding { get; private init; }

    /// <inheritdoc />
    public string Kind => Format;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">When <paramref name="data"/> does not have the training dimensionality.</exception>
    public Matrix Transform(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != Components.Columns)
        {
            throw new ArgumentException($"PCA was fitted on {Components.Columns} columns but the data has {data.Columns}.", nameof(data));
        }

        return Project(data, centered: false, cancellationToken);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        FittedReducers.Write(directory, Format, Embedding, Components.Columns, new JsonObject
        {
            ["whiten"] = Whiten,
            ["mean"] = ModelFolder.ToNode(Mean),
            ["explained_variance"] = ModelFolder.ToNode(ExplainedVariance),
            ["explained_variance_ratio"] = ModelFolder.ToNode(ExplainedVarianceRatio),
        });
        NpyFile.Write(Path.Combine(directory, FittedReducers.ComponentsFile), Components);
    }

    /// <summary>A model read back from a saved folder: the training embedding is the saved one, not recomputed.</summary>
    internal static PcaModel Restore(Matrix components, float[] mean, double[] variance, double[] ratio, bool whiten, Matrix embedding) =>
        new(components, mean, variance, ratio, whiten) { Embedding = embedding };

    private Matrix Project(Matrix data, bool centered, CancellationToken cancellationToken)
    {
        var c = Components.Rows;
        var d = Components.Columns;
        var result = new Matrix(data.Rows, c);
        var mean = (float[])Mean;
        void ProjectRow(int i, float[] buffer)
        {
            var row = data.RowReadOnly(i);
            if (centered)
            {
                row.CopyTo(buffer);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(row, mean, buffer);
            }

            var output = result.Row(i);
            for (var k = 0; k < c; k++)
            {
                output[k] = System.Numerics.Tensors.TensorPrimitives.Dot(buffer, Components.RowReadOnly(k)) * _scales[k];
            }
        }

        if ((long)data.Rows * d * c < 1 << 20)
        {
            var buffer = new float[d];
            for (var i = 0; i < data.Rows; i++)
            {
                ProjectRow(i, buffer);
            }
        }
        else
        {
            Parallel.For(0, data.Rows, new ParallelOptions { CancellationToken = cancellationToken }, () => new float[d], (i, _, buffer) =>
            {
                ProjectRow(i, buffer);
                return buffer;
            }, _ => { });
        }

        return result;
    }
}
