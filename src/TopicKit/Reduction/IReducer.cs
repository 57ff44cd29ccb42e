using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>A dimensionality reduction (PCA, UMAP, ...) configured by its options.</summary>
public interface IReducer
{
    /// <summary>Learns the reduction from <paramref name="data"/> and embeds it.</summary>
    IFittedReducer Fit(Matrix data, CancellationToken cancellationToken = default);
}

/// <summary>An immutable fitted reduction.</summary>
public interface IFittedReducer
{
    /// <summary>A short name of the method (<c>umap</c>, <c>pca</c>), stored in saved models.</summary>
    string Kind { get; }

    /// <summary>The reduced coordinates of the training data (N x components).</summary>
    Matrix Embedding { get; }

    /// <summary>Embeds new points into the learned space.</summary>
    Matrix Transform(Matrix data, CancellationToken cancellationToken = default);

    /// <summary>Writes the model into <paramref name="directory"/> (created if missing); <see cref="FittedReducers.Load"/> reads it back.</summary>
    void Save(string directory);
}
