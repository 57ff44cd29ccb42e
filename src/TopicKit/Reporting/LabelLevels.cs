namespace TopicKit.Reporting;

/// <summary>
/// The interactive map's label levels, coarse to fine: level k shows about 8·2^k labels. With a hierarchy a label
/// stands for a cut of it (the group's biggest topic names it); without one each level is simply the next-biggest
/// topics. The page picks the level from the zoom, so labels refine as one zooms in.
/// </summary>
internal static class LabelLevels
{
    public static List<List<Dictionary<string, object>>> Build(ReportModel model, ReportOptions options)
    {
        var topics = model.Data.Topics;
        var anchors = TopicMapFigure.Anchors(model);
        var levels = new List<List<Dictionary<string, object>>>();
        var count = topics.Count;
        var withDocs = Enumerable.Range(0, count).Where(t => model.MapCounts[t] > 0).ToHashSet();
        if (withDocs.Count == 0)
        {
            return levels;
        }

        for (var groups = Math.Min(8, count); ; groups = Math.Min(groups * 2, count))
        {
            var members = model.Data.Hierarchy is { Count: > 0 } h
                ? Linkage.Cut(h, count, groups)
                : model.BySize.Take(groups).Select(t => new[] { t }).ToList();
            var level = new List<Dictionary<string, object>>();
            foreach (var group in members)
            {
                var present = group.Where(withDocs.Contains).ToArray();
                if (present.Length == 0)
                {
                    continue;
                }

                var weight = present.Sum(t => (double)model.MapCounts[t]);
                var lead = present.OrderByDescending(t => topics[t].Size).ThenBy(t => topics[t].Id).First();
                var text = ReportModel.ShortLabel(topics[lead].Label, options.MaxLabelLength);
                level.Add(new Dictionary<string, object>
                {
                    ["text"] = present.Length > 1 ? $"{text} (+{present.Length - 1} topics)" : text,
                    ["x"] = present.Sum(t => anchors[t].X * model.MapCounts[t]) / weight,
                    ["y"] = present.Sum(t => anchors[t].Y * model.MapCounts[t]) / weight,
                    ["size"] = (int)weight,
                    ["color"] = model.Colors[lead],
                    ["topics"] = present,
                });
            }

            // Biggest first: the page places greedily in this order.
            level.Sort((a, b) => ((int)b["size"]).CompareTo((int)a["size"]));
            levels.Add(level);
            if (groups >= count)
            {
                break;
            }
        }

        return levels;
    }
}
