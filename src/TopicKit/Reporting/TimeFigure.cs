using ScottPlot;

namespace TopicKit.Reporting;

/// <summary>Topics over time: document counts per time bin for the biggest topics.</summary>
internal static class TimeFigure
{
    /// <summary>The bins: as given, else counted from the document dates (yearly past three years, else monthly).</summary>
    public static List<ReportTimeBin> Bins(ReportModel model)
    {
        if (model.Data.TopicsOverTime is { Count: > 0 } given)
        {
            return [.. given];
        }

        var docs = model.Data.Documents;
        var dated = Enumerable.Range(0, docs.Count).Where(i => docs[i].Date is not null).ToArray();
        if (dated.Length == 0)
        {
            return [];
        }

        var first = dated.Min(i => docs[i].Date!.Value);
        var last = dated.Max(i => docs[i].Date!.Value);
        var yearly = last.DayNumber - first.DayNumber > 3 * 366;
        return dated
            .GroupBy(i => (Start: yearly ? new DateOnly(docs[i].Date!.Value.Year, 1, 1) : new DateOnly(docs[i].Date!.Value.Year, docs[i].Date!.Value.Month, 1), Topic: docs[i].Topic))
            .Select(g => new ReportTimeBin(g.Key.Start, g.Key.Topic, g.Count()))
            .OrderBy(b => b.Start).ThenBy(b => b.Topic)
            .ToList();
    }

    public static Figure? Render(ReportModel model, ReportOptions options, string font)
    {
        var bins = Bins(model);
        if (bins.Count == 0)
        {
            return null;
        }

        var starts = bins.Select(b => b.Start).Distinct().Order().ToArray();
        var topicIndex = Enumerable.Range(0, model.Data.Topics.Count).ToDictionary(t => model.Data.Topics[t].Id);
        var shown = bins.Where(b => b.Topic >= 0).GroupBy(b => b.Topic)
            .OrderByDescending(g => g.Sum(b => b.Count)).ThenBy(g => g.Key)
            .Take(options.MaxTimeSeries).Select(g => g.Key).ToArray();
        var plot = FigureKit.NewPlot(font, "Topics over time");
        var xs = starts.Select(s => s.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        foreach (var topicId in shown)
        {
            var counts = starts.Select(s => (double)bins.Where(b => b.Topic == topicId && b.Start == s).Sum(b => b.Count)).ToArray();
            var t = topicIndex[topicId];
            var scatter = plot.Add.Scatter(xs, counts);
            scatter.Color = FigureKit.ToColor(model.Colors[t]);
            scatter.LineWidth = 2;
            scatter.MarkerSize = starts.Length > 60 ? 0 : 5;
            scatter.LegendText = FigureKit.TopicCaption(model.Data.Topics[t], 32);
        }

        var axis = plot.Axes.DateTimeTicksBottom();
        ((ScottPlot.TickGenerators.DateTimeAutomatic)axis.TickGenerator).LabelFormatter = d => d.ToString(starts.Length > 24 && d.Month == 1 ? "yyyy" : "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        plot.YLabel("documents per bin", 13);
        plot.XLabel("bin start", 13);
        var peak = shown.Length == 0 ? 1 : bins.Where(b => shown.Contains(b.Topic)).GroupBy(b => (b.Topic, b.Start)).Max(g => g.Sum(b => b.Count));
        plot.Axes.SetLimitsY(0, Math.Max(1, peak) * 1.08);
        var legend = plot.ShowLegend(Edge.Right);
        legend.Legend.FontName = font;
        legend.Legend.FontSize = 11;
        var caption = $"Topics over time ({shown.Length} largest topics, {starts.Length} bins)";
        return FigureKit.Render(plot, "topics-over-time", caption, options.FigureWidth, 520);
    }
}
