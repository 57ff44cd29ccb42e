namespace TopicKit.Topics;

/// <summary>A keyword of a topic and its weight (c-TF-IDF, or the refiner's score).</summary>
/// <param name="Term">The term (a word, or words joined by single spaces for n-grams).</param>
/// <param name="Score">Its weight; keywords are listed best first.</param>
public readonly record struct TopicKeyword(string Term, double Score);

/// <summary>One topic.</summary>
/// <param name="Id">The topic's label; -1 is the outlier class.</param>
/// <param name="Size">Number of documents with this label.</param>
/// <param name="Label">A readable name: the top keywords, or one the user set.</param>
/// <param name="Keywords">Keywords, best first.</param>
/// <param name="RepresentativeDocuments">Row indices of distinct documents that typify the topic, best first.</param>
/// <param name="Centroid">Mean embedding of the topic's documents, when embeddings were given.</param>
public sealed record Topic(
    int Id,
    int Size,
    string Label,
    IReadOnlyList<TopicKeyword> Keywords,
    IReadOnlyList<int> RepresentativeDocuments,
    float[]? Centroid);
