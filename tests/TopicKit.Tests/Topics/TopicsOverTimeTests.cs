using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>
/// <see cref="TopicsOverTime.OverTime"/> on four dated documents computed by hand, with and without BERTopic's global
/// and evolution tuning.
/// </summary>
public sealed class TopicsOverTimeTests
{
    // Topic 0: "apple banana" (day 1), "apple cherry" (day 2); topic 1: "date egg" (day 1), "date date" (day 2).
    // Classes joined: apple 2, banana 1, cherry 1 | date 3, egg 1; A = int(8 / 2) = 4.
    // idf = log(4 / f + 1): apple log 3, banana = cherry = egg = log 5, date = log(7/3).
    internal static readonly string[] Texts = ["apple banana", "apple cherry", "date egg", "date date"];
    internal static readonly int[] Labels = [0, 0, 1, 1];
    internal static readonly DateTime[] Days = [new(2024, 1, 1), new(2024, 1, 2), new(2024, 1, 1), new(2024, 1, 2)];

    private static readonly double Apple = Math.Log(3), Rare = Math.Log(5), Date = Math.Log(7.0 / 3);

    /// <summary>Expected keyword scores per (bin, topic), in the order OverTime lists them (bin, then topic).</summary>
    internal static IReadOnlyList<(int Bin, int Topic, int Frequency, Dictionary<string, double> Scores)> Expected(bool global, bool evolution)
    {
        // The global rows, L1-normalised: class 0 = (0.5 apple, 0.25 banana, 0.25 cherry) x idf, class 1 = (0.75 date, 0.25 egg) x idf.
        var g0 = L1(new() { ["apple"] = 0.5 * Apple, ["banana"] = 0.25 * Rare, ["cherry"] = 0.25 * Rare });
        var g1 = L1(new() { ["date"] = 0.75 * Date, ["egg"] = 0.25 * Rare });
        // Per bin: each topic has one document; tf is L1 of its counts, times idf, then L1.
        var bin0Topic0 = L1(new() { ["apple"] = 0.5 * Apple, ["banana"] = 0.5 * Rare });
        var bin0Topic1 = L1(new() { ["date"] = 0.5 * Date, ["egg"] = 0.5 * Rare });
        var bin1Topic0 = L1(new() { ["apple"] = 0.5 * Apple, ["cherry"] = 0.5 * Rare });
        var bin1Topic1 = L1(new() { ["date"] = 1.0 * Date });
        Dictionary<string, double> Tune(Dictionary<string, double> row, Dictionary<string, double>? previous, Dictionary<string, double> globalRow)
        {
            if (evolution && previous is not null)
            {
                row = Mean(row, previous);
            }

            return global ? Mean(row, globalRow) : row;
        }

        var a = Tune(bin0Topic0, null, g0);
        var b = Tune(bin0Topic1, null, g1);
        return [(0, 0, 1, a), (0, 1, 1, b), (1, 0, 1, Tune(bin1Topic0, a, g0)), (1, 1, 1, Tune(bin1Topic1, b, g1))];
    }

    internal static TopicRepresentation Fit() =>
        new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, RepresentativeDocumentCount: 1)).Fit(new TopicDocuments(Texts, Labels));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void OneBinPerDateByHand(bool global, bool evolution)
    {
        var slices = TopicsOverTime.OverTime(new TopicDocuments(Texts, Labels), Fit(), Days, null, global, evolution);
        var expected = Expected(global, evolution);
        Assert.Equal(expected.Count, slices.Count);
        for (var i = 0; i < slices.Count; i++)
        {
            AssertSlice(expected[i], slices[i]);
            Assert.Equal(Days[0].AddDays(expected[i].Bin), slices[i].Start);
        }
    }

    [Fact]
    public void OneBinHoldsEveryDocumentAndWithoutTuningIsTheGlobalRow()
    {
        var slices = TopicsOverTime.OverTime(new TopicDocuments(Texts, Labels), Fit(), Days, bins: 1, globalTuning: false, evolutionTuning: false);
        Assert.Equal([(0, 2), (1, 2)], slices.Select(s => (s.TopicId, s.Frequency)));
        AssertSlice((0, 0, 2, L1(new() { ["apple"] = 0.5 * Apple, ["banana"] = 0.25 * Rare, ["cherry"] = 0.25 * Rare })), slices[0]);
        AssertSlice((0, 1, 2, L1(new() { ["date"] = 0.75 * Date, ["egg"] = 0.25 * Rare })), slices[1]);
    }

    internal static void AssertSlice((int Bin, int Topic, int Frequency, Dictionary<string, double> Scores) expected, TopicSlice actual) =>
        AssertSlice(expected, actual.Group, actual.TopicId, actual.Frequency, actual.Keywords.Select(k => (k.Term, k.Score)));

    internal static void AssertSlice(
        (int Bin, int Topic, int Frequency, Dictionary<string, double> Scores) expected, string bin, int topic, int frequency, IEnumerable<(string Term, double Score)> keywords)
    {
        Assert.Equal(expected.Bin.ToString(System.Globalization.CultureInfo.InvariantCulture), bin);
        Assert.Equal(expected.Topic, topic);
        Assert.Equal(expected.Frequency, frequency);
        var actual = keywords.ToArray();
        // Keywords: every term with a positive score, best first.
        Assert.Equal(expected.Scores.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key), actual.Select(k => k.Term));
        foreach (var (term, score) in actual)
        {
            // The global row is stored in single precision.
            Assert.Equal(expected.Scores[term], score, 6);
        }
    }

    private static Dictionary<string, double> L1(Dictionary<string, double> row)
    {
        var sum = row.Values.Sum();
        return row.ToDictionary(p => p.Key, p => p.Value / sum);
    }

    private static Dictionary<string, double> Mean(Dictionary<string, double> a, Dictionary<string, double> b) =>
        a.Keys.Union(b.Keys).ToDictionary(k => k, k => (a.GetValueOrDefault(k) + b.GetValueOrDefault(k)) / 2);
}
