namespace TopicKit.Topics;

/// <summary>
/// Settings of <see cref="ClassTfidfRepresenter"/>. The defaults with <see cref="StopWordList"/> set to
/// scikit-learn's English list give BERTopic's <c>ClassTfidfTransformer</c> keywords exactly.
/// </summary>
/// <param name="NgramMin">Shortest n-gram counted (default 1).</param>
/// <param name="NgramMax">Longest n-gram counted (default 1). N-grams never span two documents.</param>
/// <param name="MinDocumentFrequency">
/// Terms found in fewer documents are dropped (default 1 = keep all). Counted over documents, not over the joined
/// per-topic documents BERTopic's vectorizer sees, so a word typical of one topic survives.
/// </param>
/// <param name="StopWords">Words dropped before n-grams are formed (default <see cref="StopWordList.English"/>).</param>
/// <param name="TopN">Keywords per topic (default 10).</param>
/// <param name="Bm25Weighting">idf <c>log(1 + (A - f + 0.5) / (f + 0.5))</c> instead of <c>log(A / f + 1)</c> (default false).</param>
/// <param name="ReduceFrequentWords">Square root of the L1-normalised term frequency (default false).</param>
/// <param name="SeedWords">Terms whose idf is multiplied by <paramref name="SeedMultiplier"/> (default none).</param>
/// <param name="SeedMultiplier">The seed-word idf multiplier (default 2, BERTopic's).</param>
/// <param name="RepresentativeDocumentCount">Distinct representative documents per topic (default 3).</param>
/// <param name="LabelWords">Keywords joined into a topic's label (default 4).</param>
public sealed record ClassTfidfOptions(
    int NgramMin = 1,
    int NgramMax = 1,
    int MinDocumentFrequency = 1,
    StopWordList? StopWords = null,
    int TopN = 10,
    bool Bm25Weighting = false,
    bool ReduceFrequentWords = false,
    IReadOnlyList<string>? SeedWords = null,
    double SeedMultiplier = 2.0,
    int RepresentativeDocumentCount = 3,
    int LabelWords = 4)
{
    /// <summary>The stop words in effect.</summary>
    public StopWordList EffectiveStopWords => StopWords ?? StopWordList.English;

    /// <summary>Throws on values that cannot work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a value is out of range.</exception>
    public void Validate()
    {
        if (NgramMin < 1 || NgramMax < NgramMin || NgramMax > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(NgramMin), $"n-gram range {NgramMin}..{NgramMax} is invalid; use 1 <= min <= max <= 8.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinDocumentFrequency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(TopN, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(RepresentativeDocumentCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(LabelWords, 1);
        if (!double.IsFinite(SeedMultiplier) || SeedMultiplier <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SeedMultiplier), "the seed multiplier must be a positive number.");
        }
    }
}
