namespace TopicKit.Topics;

/// <summary>Describes the topics of labelled documents: keywords, labels, representative documents, centroids.</summary>
public interface ITopicRepresenter
{
    /// <summary>Represents every label of <paramref name="documents"/> (the outlier class -1 too, when present).</summary>
    /// <param name="documents">Texts and labels (and optionally embeddings and ids).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    TopicRepresentation Fit(TopicDocuments documents, CancellationToken cancellationToken = default);
}
