namespace TopicKit.Topics;

/// <summary>One topic within one time bin or class.</summary>
/// <param name="TopicId">The topic.</param>
/// <param name="Group">The bin index (over time) or class name (per class).</param>
/// <param name="Start">The bin's first instant (over time only).</param>
/// <param name="End">The bin's end (over time only; the last bin includes it).</param>
/// <param name="Frequency">Documents of the topic in the bin or class.</param>
/// <param name="Keywords">The topic's keywords there, best first.</param>
public sealed record TopicSlice(int TopicId, string Group, DateTime? Start, DateTime? End, int Frequency, IReadOnlyList<TopicKeyword> Keywords);

/// <summary>
/// Topics over time and per class, as BERTopic's <c>topics_over_time</c> and <c>topics_per_class</c>: the c-TF-IDF of a
/// topic's documents within a bin (with the fitted idf), L1-normalised; with evolution tuning averaged with the same
/// topic's previous bin, with global tuning averaged with the topic's global (L1-normalised) row.
/// </summary>
public static class TopicsOverTime
{
    /// <summary>Keywords and frequency of each topic in each time bin.</summary>
    /// <param name="documents">Texts and labels.</param>
    /// <param name="representation">The fitted topics.</param>
    /// <param name="timestamps">One time per document.</param>
    /// <param name="bins">Equal-width bins over the time range; null = one bin per distinct timestamp.</param>
    /// <param name="globalTuning">Average with the global topic row (default true).</param>
    /// <param name="evolutionTuning">Average with the previous bin's row (default true).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static IReadOnlyList<TopicSlice> OverTime(
        TopicDocuments documents, TopicRepresentation representation, IReadOnlyList<DateTime> timestamps, int? bins = null,
        bool globalTuning = true, bool evolutionTuning = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(timestamps);
        documents.Validate();
        if (timestamps.Count != documents.Count)
        {
            throw new ArgumentException($"{timestamps.Count} timestamps for {documents.Count} documents; give one per document.", nameof(timestamps));
        }

        if (bins is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), "use at least one bin.");
        }

        var group = new int[documents.Count];
        var starts = new List<DateTime>();
        var ends = new List<DateTime>();
        if (documents.Count > 0 && bins is { } b)
        {
            var min = timestamps.Min();
            var width = (timestamps.Max() - min).Ticks / (double)b;
            for (var i = 0; i < b; i++)
            {
                starts.Add(min.AddTicks((long)(width * i)));
                ends.Add(min.AddTicks((long)(width * (i + 1))));
            }

            for (var d = 0; d < group.Length; d++)
            {
                group[d] = width == 0 ? 0 : Math.Min(b - 1, (int)((timestamps[d] - min).Ticks / width));
            }
        }
        else
        {
            var distinct = timestamps.Distinct().Order().ToArray();
            var index = distinct.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
            starts.AddRange(distinct);
            ends.AddRange(distinct);
            for (var d = 0; d < group.Length; d++)
            {
                group[d] = index[timestamps[d]];
            }
        }

        return Slices(documents, representation, group, starts.Count, g => g.ToString(System.Globalization.CultureInfo.InvariantCulture), g => (starts[g], ends[g]), globalTuning, evolutionTuning, cancellationToken);
    }

    /// <summary>Keywords and frequency of each topic within each class (e.g. arXiv category), with global tuning.</summary>
    public static IReadOnlyList<TopicSlice> PerClass(
        TopicDocuments documents, TopicRepresentation representation, IReadOnlyList<string> classes, bool globalTuning = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(classes);
        documents.Validate();
        if (classes.Count != documents.Count)
        {
            throw new ArgumentException($"{classes.Count} classes for {documents.Count} documents; give one per document.", nameof(classes));
        }

        var names = classes.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = names.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var group = classes.Select(c => index[c]).ToArray();
        return Slices(documents, representation, group, names.Length, g => names[g], _ => (null, null), globalTuning, false, cancellationToken);
    }

    private static List<TopicSlice> Slices(
        TopicDocuments documents, TopicRepresentation representation, int[] group, int groups, Func<int, string> name, Func<int, (DateTime?, DateTime?)> range,
        bool globalTuning, bool evolutionTuning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var counts = representation.CountTerms(documents.Texts, cancellationToken);
        var vocabulary = representation.Vocabulary.Count;
        var previous = new Dictionary<int, double[]>();
        var slices = new List<TopicSlice>();
        var topN = representation.Options.TopN;
        for (var g = 0; g < groups; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var topicId in Enumerable.Range(0, documents.Count).Where(d => group[d] == g).Select(d => documents.Labels[d]).Distinct().Order())
            {
                var row = new double[vocabulary];
                var frequency = 0;
                for (var d = 0; d < documents.Count; d++)
                {
                    if (group[d] != g || documents.Labels[d] != topicId)
                    {
                        continue;
                    }

                    frequency++;
                    var idx = counts.RowIndices(d);
                    var val = counts.RowValues(d);
                    for (var p = 0; p < idx.Length; p++)
                    {
                        row[idx[p]] += val[p];
                    }
                }

                Weigh(row, representation);
                NormalizeL1(row);
                if (evolutionTuning && previous.TryGetValue(topicId, out var before))
                {
                    Average(row, before);
                }

                var topicRow = representation.IndexOf(topicId);
                if (globalTuning && topicRow >= 0)
                {
                    var global = new double[vocabulary];
                    var gi = representation.ClassTfidf.RowIndices(topicRow);
                    var gv = representation.ClassTfidf.RowValues(topicRow);
                    for (var p = 0; p < gi.Length; p++)
                    {
                        global[gi[p]] = gv[p];
                    }

                    NormalizeL1(global);
                    Average(row, global);
                }

                previous[topicId] = row;
                var keywords = Enumerable.Range(0, vocabulary).Where(t => row[t] > 0).OrderByDescending(t => row[t]).ThenBy(t => t).Take(topN)
                    .Select(t => new TopicKeyword(representation.Vocabulary[t], row[t])).ToArray();
                var (start, end) = range(g);
                slices.Add(new TopicSlice(topicId, name(g), start, end, frequency, keywords));
            }
        }

        return slices;
    }

    private static void Weigh(double[] row, TopicRepresentation representation)
    {
        var sum = row.Sum();
        for (var t = 0; t < row.Length; t++)
        {
            if (row[t] > 0)
            {
                row[t] = ClassTfidfWeighting.Weigh(row[t] / sum, representation.Idf[t], representation.Options.ReduceFrequentWords);
            }
        }
    }

    private static void NormalizeL1(double[] row)
    {
        var sum = row.Sum(Math.Abs);
        if (sum > 0)
        {
            for (var t = 0; t < row.Length; t++)
            {
                row[t] /= sum;
            }
        }
    }

    private static void Average(double[] row, double[] other)
    {
        for (var t = 0; t < row.Length; t++)
        {
            row[t] = (row[t] + other[t]) / 2;
        }
    }
}
