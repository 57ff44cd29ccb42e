using ScottPlot;

namespace TopicKit.Reporting;

/// <summary>Topic sizes (bars), top keywords per topic (small multiples) and the intertopic distance map.</summary>
internal static class TopicChartFigures
{
    public static Figure Sizes(ReportModel model, ReportOptions options, string font)
    {
        var shown = model.BySize.Take(options.MaxSizeBars).ToArray();
        var topics = model.Data.Topics;
        var plot = FigureKit.NewPlot(font, shown.Length < topics.Count ? $"Topic sizes (largest {shown.Length} of {topics.Count})" : "Topic sizes");
        var bars = new List<Bar>();
        var positions = new double[shown.Length];
        var labels = new string[shown.Length];
        for (var rank = 0; rank < shown.Length; rank++)
        {
            var t = shown[rank];
            // Biggest at the top: ScottPlot's y grows upwards.
            positions[rank] = shown.Length - 1 - rank;
            labels[rank] = FigureKit.TopicCaption(topics[t], 40);
            bars.Add(new Bar { Position = positions[rank], Value = topics[t].Size, FillColor = FigureKit.ToColor(model.Colors[t]), LineWidth = 0 });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.01, top: 0.01);
        plot.XLabel("documents", 14);
        plot.HideGrid();
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 1;
        var height = (int)Math.Max(260, 110 + (20 * shown.Length));
        var outliers = model.TopicIndex.Count(t => t < 0);
        return FigureKit.Render(plot, "topic-sizes", $"Topic sizes ({outliers:N0} outlier documents not shown)", options.FigureWidth, height);
    }

    public static Figure Keywords(ReportModel model, ReportOptions options, string font)
    {
        var shown = model.BySize.Take(options.MaxKeywordPanels).ToArray();
        var perPanel = Math.Max(1, options.KeywordsPerPanel);
        const int Columns = 4;
        const double TitleBand = 50, PanelTitle = 24, Row = 19, PanelGap = 14;
        var width = options.FigureWidth;
        var panelW = (width - ((Columns + 1) * PanelGap)) / Columns;
        var panelH = PanelTitle + (perPanel * Row) + 8;
        var rows = Math.Max(1, (shown.Length + Columns - 1) / Columns);
        var height = (int)(TitleBand + (rows * (panelH + PanelGap)) + PanelGap);

        var plot = FigureKit.NewPlot(font, string.Empty);
        plot.HideAxesAndGrid();
        plot.Layout.Fixed(new PixelRect(0, width, height, 0));
        plot.Axes.SetLimits(0, width, height, 0);
        AddText(plot, shown.Length < model.Data.Topics.Count ? $"Top keywords of the {shown.Length} largest topics" : "Top keywords per topic",
            width / 2.0, 12, 18, font, Alignment.UpperCenter, Colors.Black, bold: true);

        for (var p = 0; p < shown.Length; p++)
        {
            var topic = model.Data.Topics[shown[p]];
            var left = PanelGap + ((p % Columns) * (panelW + PanelGap));
            var top = TitleBand + ((p / Columns) * (panelH + PanelGap));
            var color = FigureKit.ToColor(model.Colors[shown[p]]);
            AddText(plot, FitText(FigureKit.TopicCaption(topic, 60), font, 13, panelW), left, top, 13, font, Alignment.UpperLeft, color, bold: true);
            var keywords = topic.Keywords.Take(perPanel).ToArray();
            var max = keywords.Length == 0 ? 1 : Math.Max(keywords.Max(k => k.Score), 1e-12);
            var barLeft = left + (panelW * 0.45);
            var barMax = panelW * 0.53;
            for (var k = 0; k < keywords.Length; k++)
            {
                var y = top + PanelTitle + (k * Row);
                AddText(plot, FitText(keywords[k].Word, font, 12, (panelW * 0.45) - 6), barLeft - 5, y + (Row / 2) - 1, 12, font, Alignment.MiddleRight, Color.FromHex("#222222"), bold: false);
                var barW = Math.Max(1, barMax * Math.Max(0, keywords[k].Score) / max);
                var rect = plot.Add.Rectangle(barLeft, barLeft + barW, y + Row - 3, y + 3);
                rect.FillColor = color;
                rect.LineWidth = 0;
            }
        }

        return FigureKit.Render(plot, "topic-keywords", "Top keywords per topic (bar length: keyword score relative to the topic's best)", width, height);
    }

    public static Figure Intertopic(ReportModel model, ReportOptions options, string font)
    {
        var topics = model.Data.Topics;
        var positions = IntertopicPositions(model, out var source);
        var plot = FigureKit.NewPlot(font, "Intertopic distance map");
        plot.HideGrid();
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.XLabel(source, 13);
        var maxSize = topics.Count == 0 ? 1 : Math.Max(1, topics.Max(t => t.Size));
        // Area proportional to size, so the eye compares counts correctly; big ones drawn first, small on top.
        foreach (var t in model.BySize)
        {
            var diameter = (float)(8 + (62 * Math.Sqrt(topics[t].Size / (double)maxSize)));
            var marker = plot.Add.Marker(positions[t].X, positions[t].Y, MarkerShape.FilledCircle, diameter, FigureKit.ToColor(model.Colors[t]).WithAlpha(0.55));
            marker.MarkerLineColor = FigureKit.ToColor(model.Colors[t]);
            marker.MarkerLineWidth = 1;
        }

        foreach (var t in model.BySize.Take(40))
        {
            var label = plot.Add.Text(topics[t].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), positions[t].X, positions[t].Y);
            label.Alignment = Alignment.MiddleCenter;
            label.LabelStyle.FontName = font;
            label.LabelStyle.FontSize = 11;
        }

        plot.Axes.Margins(0.12, 0.12);
        var side = Math.Min(options.FigureWidth, 900);
        return FigureKit.Render(plot, "intertopic-map", $"Intertopic distance map: circle area is topic size, numbers are topic ids ({source})", side, side);
    }

    /// <summary>
    /// Topic positions: the given ones; else each topic's median map position; else classical MDS of 1 - similarity.
    /// </summary>
    public static (double X, double Y)[] IntertopicPositions(ReportModel model, out string source)
    {
        var topics = model.Data.Topics;
        if (topics.Count > 0 && topics.All(t => t.Position is not null))
        {
            source = "given topic positions";
            return topics.Select(t => t.Position!.Value).ToArray();
        }

        // The map is already a 2-D embedding of the document vectors, so a topic's median map position embeds its
        // centroid; MDS of the similarity (which rings up when most similarities are near zero) is the fallback.
        if (model.MapCounts.Any(c => c > 0) || model.Data.TopicSimilarity is null || topics.Count < 3)
        {
            source = "median map position of each topic's documents";
            return TopicMapFigure.Anchors(model);
        }

        source = "classical MDS of topic dissimilarity (1 - similarity)";
        return ClassicalMds(model.Data.TopicSimilarity);
    }

    private static (double X, double Y)[] ClassicalMds(TopicKit.Numerics.Matrix similarity)
    {
        var n = similarity.Rows;
        var b = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) =>
        {
            var d = 1.0 - (0.5 * (similarity[i, j] + similarity[j, i]));
            return i == j ? 0 : d * d;
        });
        var rowMeans = Enumerable.Range(0, n).Select(i => b.Row(i).Average()).ToArray();
        var mean = rowMeans.Average();
        var centred = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => -0.5 * (b[i, j] - rowMeans[i] - rowMeans[j] + mean));
        var evd = centred.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var result = new (double, double)[n];
        // Symmetric EVD returns eigenvalues in ascending order: the last two span the best 2-D embedding.
        var l1 = Math.Sqrt(Math.Max(0, evd.EigenValues[n - 1].Real));
        var l2 = Math.Sqrt(Math.Max(0, evd.EigenValues[n - 2].Real));
        for (var i = 0; i < n; i++)
        {
            result[i] = (evd.EigenVectors[i, n - 1] * l1, evd.EigenVectors[i, n - 2] * l2);
        }

        return result;
    }

    internal static void AddText(Plot plot, string text, double x, double y, float size, string font, Alignment alignment, Color color, bool bold)
    {
        var label = plot.Add.Text(text, x, y);
        label.Alignment = alignment;
        label.LabelStyle.FontName = font;
        label.LabelStyle.FontSize = size;
        label.LabelStyle.ForeColor = color;
        label.LabelStyle.Bold = bold;
    }

    /// <summary><paramref name="text"/>, cut with an ellipsis until it fits <paramref name="maxWidth"/> pixels.</summary>
    internal static string FitText(string text, string font, float size, double maxWidth)
    {
        if (FigureKit.Measure(text, font, size).Width <= maxWidth)
        {
            return text;
        }

        for (var length = text.Length - 1; length > 1; length--)
        {
            var candidate = ReportModel.ShortLabel(text, length);
            if (FigureKit.Measure(candidate, font, size).Width <= maxWidth)
            {
                return candidate;
            }
        }

        return "…";
    }
}
