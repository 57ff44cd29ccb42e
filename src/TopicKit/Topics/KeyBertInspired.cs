using TopicKit.Embedding;

namespace TopicKit.Topics;

/// <summary>
/// BERTopic's <c>KeyBERTInspired</c> re-ranking: the c-TF-IDF candidates are embedded and ranked by cosine
/// similarity to the mean embedding of the topic's representative documents; the score is that similarity.
/// </summary>
public sealed class KeyBertInspired : IKeywordRefiner
{
    /// <summary>Creates the refiner.</summary>
    /// <param name="encoder">Embeds the candidate words and the representative documents.</param>
    public KeyBertInspired(ISentenceEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoder = encoder;
    }

    /// <summary>The encoder.</summary>
    public ISentenceEncoder Encoder { get; }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<TopicKeyword>> Refine(TopicRepresentation representation, TopicDocuments documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentNullException.ThrowIfNull(documents);
        var words = new KeywordEmbeddings(Encoder, representation, cancellationToken);
        var result = new IReadOnlyList<TopicKeyword>[representation.Topics.Count];
        for (var k = 0; k < result.Length; k++)
        {
            var topic = representation.Topics[k];
            if (topic.RepresentativeDocuments.Count == 0 || topic.Keywords.Count == 0)
            {
                result[k] = topic.Keywords;
                continue;
            }

            var docs = Encoder.Encode(topic.RepresentativeDocuments.Select(d => documents.Texts[d]).ToArray(), cancellationToken);
            var mean = new float[docs.Columns];
            for (var r = 0; r < docs.Rows; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(mean, docs.RowReadOnly(r), mean);
            }

            result[k] = topic.Keywords
                .Select(w => new TopicKeyword(w.Term, KeywordEmbeddings.Cosine(words[w.Term], mean)))
                .OrderByDescending(w => w.Score)
                .Take(representation.Options.TopN)
                .ToArray();
        }

        return result;
    }
}
