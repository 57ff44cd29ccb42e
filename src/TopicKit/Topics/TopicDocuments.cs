using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// The input of a topic representer: one text and one topic label per document (label -1 = outlier), optionally
/// the documents' embeddings (for centroids and representative documents) and ids (for reports).
/// </summary>
/// <param name="Texts">Document texts, in row order.</param>
/// <param name="Labels">Topic label per document; -1 marks an outlier.</param>
public sealed record TopicDocuments(IReadOnlyList<string> Texts, IReadOnlyList<int> Labels)
{
    /// <summary>Optional N x d document embeddings, one row per text.</summary>
    public Matrix? Embeddings { get; init; }

    /// <summary>Optional document ids, one per text.</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>Number of documents.</summary>
    public int Count => Texts.Count;

    /// <summary>Throws a clear error when the parts disagree in length or a label is below -1.</summary>
    /// <exception cref="ArgumentException">When the documents are inconsistent.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Texts);
        ArgumentNullException.ThrowIfNull(Labels);
        if (Labels.Count != Texts.Count)
        {
            throw new ArgumentException($"{Texts.Count} texts but {Labels.Count} labels; give one label per text.", nameof(Labels));
        }

        if (Embeddings is not null && Embeddings.Rows != Texts.Count)
        {
            throw new ArgumentException($"{Texts.Count} texts but {Embeddings.Rows} embedding rows; give one row per text.", nameof(Embeddings));
        }

        if (Ids is not null && Ids.Count != Texts.Count)
        {
            throw new ArgumentException($"{Texts.Count} texts but {Ids.Count} ids; give one id per text.", nameof(Ids));
        }

        for (var i = 0; i < Labels.Count; i++)
        {
            if (Labels[i] < -1)
            {
                throw new ArgumentException($"document {i}: label {Labels[i]} is below -1; topics are 0, 1, ... and -1 marks an outlier.", nameof(Labels));
            }

            if (Texts[i] is null)
            {
                throw new ArgumentException($"document {i}: the text is null; pass an empty string instead.", nameof(Texts));
            }
        }
    }

    /// <summary>The same documents with other labels.</summary>
    public TopicDocuments WithLabels(IReadOnlyList<int> labels) => this with { Labels = labels };
}
