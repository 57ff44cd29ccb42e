using ScottPlot;

namespace TopicKit.Reporting;

/// <summary>The topic similarity heatmap (in hierarchy leaf order) and the topic dendrogram.</summary>
internal static class HierarchyFigures
{
    public static Figure Heatmap(ReportModel model, ReportOptions options, string font)
    {
        var similarity = model.Data.TopicSimilarity!;
        var order = model.LeafOrder;
        var n = order.Length;
        var values = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                values[i, j] = similarity[order[i], order[j]];
            }
        }

        var ordered = model.Data.Hierarchy is { Count: > 0 } ? "ordered by the topic hierarchy" : "ordered by topic size";
        var plot = FigureKit.NewPlot(font, "Topic similarity");
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "similarity";
        bar.LabelStyle.FontName = font;

        // Row i of the intensities is drawn at y = n - 1 - i (ScottPlot puts row 0 at the top).
        var step = Math.Max(1, (int)Math.Ceiling(n / 40.0));
        var captions = order.Select(t => n <= 40 ? FigureKit.TopicCaption(model.Data.Topics[t], 28) : model.Data.Topics[t].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var ticks = Enumerable.Range(0, n).Where(i => i % step == 0).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(i => (double)(n - 1 - i)).ToArray(), ticks.Select(i => captions[i]).ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(i => (double)i).ToArray(), ticks.Select(i => model.Data.Topics[order[i]].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.XLabel($"topic id ({ordered})", 13);
        plot.Axes.Margins(0, 0);
        plot.HideGrid();
        var size = Math.Min(options.FigureWidth, 1000);
        return FigureKit.Render(plot, "topic-similarity", $"Topic similarity heatmap, {ordered}", size + 120, size);
    }

    public static Figure Dendrogram(ReportModel model, ReportOptions options, string font)
    {
        var merges = model.Data.Hierarchy!;
        var topics = model.Data.Topics;
        var n = topics.Count;
        var order = model.LeafOrder;
        var plot = FigureKit.NewPlot(font, "Topic hierarchy");
        var line = Color.FromHex("#4a4a4a");
        foreach (var (x1, p1, x2, p2) in Linkage.Segments(merges, n, order))
        {
            // Leaf position p is drawn at y = n - 1 - p so the first leaf is at the top, as the heatmap reads.
            var segment = plot.Add.Line(x1, n - 1 - p1, x2, n - 1 - p2);
            segment.LineColor = line;
            segment.LineWidth = 1.2f;
            segment.MarkerSize = 0;
        }

        for (var i = 0; i < n; i++)
        {
            var t = order[i];
            plot.Add.Marker(0, n - 1 - i, MarkerShape.FilledSquare, 7, FigureKit.ToColor(model.Colors[t]));
        }

        var fontSize = n > 80 ? 9f : 11f;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(),
            order.Select(t => FigureKit.TopicCaption(topics[t], 36)).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = fontSize;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.XLabel("merge distance", 13);
        plot.Axes.Margins(left: 0.01, right: 0.03, bottom: 0.5 / Math.Max(n, 1), top: 0.5 / Math.Max(n, 1));
        plot.HideGrid();
        var height = (int)Math.Max(300, 100 + ((fontSize + 4) * n));
        return FigureKit.Render(plot, "topic-hierarchy", "Topic hierarchy dendrogram (leaves in the heatmap's order)", options.FigureWidth, height);
    }
}
