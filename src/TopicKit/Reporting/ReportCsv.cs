using System.Globalization;
using System.Text;

namespace TopicKit.Reporting;

/// <summary>The report's CSV files (RFC 4180 quoting, invariant culture, round-trip floats).</summary>
internal static class ReportCsv
{
    /// <summary>documents.csv: header <c>id,title,topic,probability,outlier_score,x,y</c>, one row per document.</summary>
    public static string Documents(ReportModel model)
    {
        var sb = new StringBuilder("id,title,topic,probability,outlier_score,x,y\n");
        foreach (var d in model.Data.Documents)
        {
            Row(sb, d.Id, d.Title ?? string.Empty, Int(d.Topic), Num(d.Probability), Num(d.OutlierScore), Num(d.X), Num(d.Y));
        }

        return sb.ToString();
    }

    /// <summary>topics.csv: one row per topic, biggest first; keywords and their scores as parallel ';' lists.</summary>
    public static string Topics(ReportModel model)
    {
        var sb = new StringBuilder("topic,size,label,keywords,keyword_scores,representative_docs\n");
        foreach (var t in model.BySize)
        {
            var topic = model.Data.Topics[t];
            Row(sb, Int(topic.Id), Int(topic.Size), topic.Label,
                string.Join(';', topic.Keywords.Select(k => k.Word)),
                string.Join(';', topic.Keywords.Select(k => Num(k.Score))),
                string.Join(';', topic.RepresentativeDocIds));
        }

        return sb.ToString();
    }

    /// <summary>duplicates.csv: one row per scored pair; a group without pairs lists each member beside its canonical.</summary>
    public static string Duplicates(ReportModel model)
    {
        var sb = new StringBuilder("group,canonical,id_a,id_b,semantic,lexical\n");
        var groups = model.Data.DuplicateGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group.Pairs.Count > 0)
            {
                foreach (var p in group.Pairs)
                {
                    Row(sb, Int(g), group.Canonical, p.A, p.B, Num(p.Semantic), Num(p.Lexical));
                }
            }
            else
            {
                foreach (var id in group.Ids.Where(id => id != group.Canonical))
                {
                    Row(sb, Int(g), group.Canonical, group.Canonical, id, string.Empty, string.Empty);
                }
            }
        }

        return sb.ToString();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder sb, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                sb.Append('"').Append(f.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(f);
            }
        }

        sb.Append('\n');
    }
}
