namespace TopicKit.Topics;

/// <summary>
/// BERTopic's <c>ClassTfidfTransformer</c> formula on class term counts: <c>tf</c> L1-normalised per class (its
/// square root with frequent-word damping), times <c>idf = log(A / f + 1)</c> (or the BM25 form), where <c>f</c> is
/// the term's count over all classes and <c>A</c> the mean word count per class truncated to an integer.
/// </summary>
internal static class ClassTfidfWeighting
{
    /// <summary>The idf of every term, with seed words multiplied.</summary>
    public static double[] Idf(ClassTermCounts counts, ClassTfidfOptions options)
    {
        var frequency = new double[counts.Terms.Length];
        double totalWords = 0;
        for (var p = 0; p < counts.Counts.Length; p++)
        {
            frequency[counts.Columns[p]] += counts.Counts[p];
            totalWords += counts.Counts[p];
        }

        // numpy: int(X.sum(axis=1).mean()), truncation towards zero.
        var average = Math.Truncate(totalWords / Math.Max(1, counts.Classes));
        var seeds = options.SeedWords is { Count: > 0 } list ? list.Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal) : null;
        var idf = new double[frequency.Length];
        for (var t = 0; t < idf.Length; t++)
        {
            var f = frequency[t];
            idf[t] = options.Bm25Weighting ? Math.Log(1 + ((average - f + 0.5) / (f + 0.5))) : Math.Log((average / f) + 1);
            if (seeds is not null && seeds.Contains(counts.Terms[t]))
            {
                idf[t] *= options.SeedMultiplier;
            }
        }

        return idf;
    }

    /// <summary>The c-TF-IDF weight of every stored (class, term) count, in the counts' CSR order.</summary>
    public static double[] Weights(ClassTermCounts counts, double[] idf, bool reduceFrequentWords)
    {
        var weights = new double[counts.Counts.Length];
        for (var row = 0; row < counts.Classes; row++)
        {
            var start = counts.RowOffsets[row];
            var end = counts.RowOffsets[row + 1];
            double sum = 0;
            for (var p = start; p < end; p++)
            {
                sum += counts.Counts[p];
            }

            for (var p = start; p < end; p++)
            {
                weights[p] = Weigh(counts.Counts[p] / sum, idf[counts.Columns[p]], reduceFrequentWords);
            }
        }

        return weights;
    }

    /// <summary>One weight from an L1-normalised term frequency.</summary>
    public static double Weigh(double tf, double idf, bool reduceFrequentWords) => (reduceFrequentWords ? Math.Sqrt(tf) : tf) * idf;
}
