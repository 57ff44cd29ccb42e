namespace TopicKit.Neighbors;

/// <summary>How dissimilarity between two vectors is measured.</summary>
public enum DistanceMetric
{
    /// <summary>Euclidean (L2) distance.</summary>
    Euclidean = 0,

    /// <summary>Cosine distance, <c>1 - cos(a, b)</c>; vectors need not be normalised.</summary>
    Cosine = 1,
}
