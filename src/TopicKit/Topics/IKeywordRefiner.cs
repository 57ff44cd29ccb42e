namespace TopicKit.Topics;

/// <summary>Re-ranks each topic's c-TF-IDF keyword candidates (maximal marginal relevance, KeyBERT-inspired, ...).</summary>
public interface IKeywordRefiner
{
    /// <summary>New keywords per topic, best first, in <see cref="TopicRepresentation.Topics"/> order.</summary>
    /// <param name="representation">The topics with their c-TF-IDF candidates (best first) and representative documents.</param>
    /// <param name="documents">The documents the topics were fitted on.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    IReadOnlyList<IReadOnlyList<TopicKeyword>> Refine(TopicRepresentation representation, TopicDocuments documents, CancellationToken cancellationToken = default);
}
