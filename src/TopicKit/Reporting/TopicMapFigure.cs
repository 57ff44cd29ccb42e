using ScottPlot;

namespace TopicKit.Reporting;

/// <summary>One topic label of the static map, in figure pixels (y down).</summary>
internal sealed record MapLabel(int Topic, string Text, LabelBox Box, bool Leader, double AnchorX, double AnchorY);

/// <summary>The static map's geometry: the pixel transform and the placed labels.</summary>
internal sealed record MapLayout(int Width, int Height, double Scale, double OffsetX, double OffsetY, double MinX, double MaxY,
    IReadOnlyList<MapLabel> Labels, int Requested)
{
    public double PixelX(double x) => OffsetX + ((x - MinX) * Scale);

    public double PixelY(double y) => OffsetY + ((MaxY - y) * Scale);
}

/// <summary>
/// The topic map: every document at its map position coloured by topic, outliers light grey, topic labels placed
/// without overlap (near the cluster, else on the rim with a leader line), biggest topics first.
/// </summary>
internal static class TopicMapFigure
{
    public const string Name = "topic-map";
    private const double TitleBand = 44;
    private const double LabelPadding = 3;
    private const double Gap = 2;

    /// <summary>Places the labels: first near the clusters only; if some do not fit, again with a rim band.</summary>
    public static MapLayout Layout(ReportModel model, ReportOptions options, string font)
    {
        var (w, h) = (options.MapWidth, options.MapHeight);
        var requests = LabelRequests(model, options, font);
        var tight = Build(model, w, h, 16, 16, requests, allowRim: false);
        if (tight.Labels.Count == requests.Count)
        {
            return tight;
        }

        // A rim band wide enough for a typical label, but never more than a fifth of the figure per side.
        var widths = requests.Select(r => r.Box.Width).Order().ToArray();
        var typical = widths.Length == 0 ? 0 : widths[(int)(widths.Length * 0.75)];
        var side = Math.Min(typical + 24, w * 0.2);
        var vertical = Math.Min(requests.Max(r => r.Box.Height) * 2.5, h * 0.12);
        return Build(model, w, h, side, vertical, requests, allowRim: true);
    }

    public static Figure Render(ReportModel model, ReportOptions options, string font)
    {
        var layout = Layout(model, options, font);
        var plot = FigureKit.NewPlot(font, string.Empty);
        plot.HideAxesAndGrid();
        plot.Layout.Fixed(new PixelRect(0, layout.Width, layout.Height, 0));
        plot.Axes.SetLimits(0, layout.Width, layout.Height, 0);

        var docs = model.Data.Documents;
        var markerSize = docs.Count switch { < 2_000 => 6f, < 20_000 => 4f, _ => 2.5f };
        AddPoints(plot, model, layout, -1, Palette.Outlier, markerSize);
        // Big topics first so the points of small topics are not buried under them.
        foreach (var t in model.BySize)
        {
            AddPoints(plot, model, layout, t, model.Colors[t], markerSize);
        }

        foreach (var label in layout.Labels.Where(l => l.Leader))
        {
            var (ex, ey) = label.Box.Nearest(label.AnchorX, label.AnchorY);
            var line = plot.Add.Line(label.AnchorX, label.AnchorY, ex, ey);
            line.LineWidth = 1;
            line.LineColor = Color.FromHex("#555555").WithAlpha(0.8);
            line.MarkerSize = 0;
            plot.Add.Marker(label.AnchorX, label.AnchorY, MarkerShape.FilledCircle, 4, Color.FromHex("#333333"));
        }

        foreach (var label in layout.Labels)
        {
            var text = plot.Add.Text(label.Text, label.Box.Left + LabelPadding, label.Box.Top + LabelPadding);
            text.Alignment = Alignment.UpperLeft;
            text.LabelStyle.FontName = font;
            text.LabelStyle.FontSize = options.MapLabelFontSize;
            text.LabelStyle.ForeColor = Color.FromHex("#1a1a1a");
            text.LabelStyle.BackgroundColor = Colors.White.WithAlpha(0.85);
            text.LabelStyle.BorderColor = FigureKit.ToColor(model.Colors[label.Topic]);
            text.LabelStyle.BorderWidth = 1;
            text.LabelStyle.Padding = (float)LabelPadding;
        }

        var title = plot.Add.Text(model.Data.Title, layout.Width / 2.0, 10);
        title.Alignment = Alignment.UpperCenter;
        title.LabelStyle.FontName = font;
        title.LabelStyle.FontSize = 20;
        title.LabelStyle.Bold = true;
        var shown = layout.Labels.Count;
        var caption = $"Topic map: {docs.Count:N0} documents, {model.Data.Topics.Count} topics ({shown} labelled)";
        return FigureKit.Render(plot, Name, caption, layout.Width, layout.Height) with { Labelled = shown };
    }

    private static void AddPoints(Plot plot, ReportModel model, MapLayout layout, int topic, string color, float size)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        var docs = model.Data.Documents;
        for (var i = 0; i < docs.Count; i++)
        {
            if (model.TopicIndex[i] == topic)
            {
                xs.Add(layout.PixelX(docs[i].X));
                ys.Add(layout.PixelY(docs[i].Y));
            }
        }

        if (xs.Count > 0)
        {
            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, size, FigureKit.ToColor(color).WithAlpha(topic < 0 ? 0.7 : 0.8));
            markers.MarkerLineWidth = 0;
        }
    }

    private sealed record Request(int Topic, string Text, LabelBox Box);

    private static List<Request> LabelRequests(ReportModel model, ReportOptions options, string font)
    {
        var requests = new List<Request>();
        foreach (var t in model.BySize)
        {
            if (requests.Count >= options.MaxMapLabels)
            {
                break;
            }

            if (model.MapCounts[t] == 0)
            {
                continue;
            }

            var text = ReportModel.ShortLabel(model.Data.Topics[t].Label, options.MaxLabelLength);
            if (text.Length == 0)
            {
                text = $"topic {model.Data.Topics[t].Id}";
            }

            var (tw, th) = FigureKit.Measure(text, font, options.MapLabelFontSize);
            requests.Add(new Request(t, text, new LabelBox(0, 0, Math.Ceiling(tw + (2 * LabelPadding) + 2), Math.Ceiling(th + (2 * LabelPadding) + 1))));
        }

        return requests;
    }

    private static MapLayout Build(ReportModel model, int w, int h, double side, double vertical, List<Request> requests, bool allowRim)
    {
        var docs = model.Data.Documents;
        double minX = 0, maxX = 1, minY = 0, maxY = 1;
        if (docs.Count > 0)
        {
            minX = docs.Min(d => d.X);
            maxX = docs.Max(d => d.X);
            minY = docs.Min(d => d.Y);
            maxY = docs.Max(d => d.Y);
        }

        var areaW = w - (2 * side);
        var areaH = h - TitleBand - (2 * vertical);
        // Equal units on both axes: a 2-D embedding's distances mean the same in every direction.
        var scale = Math.Min(areaW / Math.Max(maxX - minX, 1e-9), areaH / Math.Max(maxY - minY, 1e-9));
        var offsetX = side + ((areaW - ((maxX - minX) * scale)) / 2);
        var offsetY = TitleBand + vertical + ((areaH - ((maxY - minY) * scale)) / 2);
        var layout = new MapLayout(w, h, scale, offsetX, offsetY, minX, maxY, [], requests.Count);

        var anchors = Anchors(model);
        var labelRequests = requests.Select(r =>
            new LabelRequest(layout.PixelX(anchors[r.Topic].X), layout.PixelY(anchors[r.Topic].Y), r.Box.Width, r.Box.Height)).ToList();
        var bounds = new LabelBox(2, TitleBand, w - 4, h - TitleBand - 2);
        var placed = LabelPlacer.Place(labelRequests, bounds, rimInset: 4, Gap, allowRim);
        var labels = new List<MapLabel>();
        for (var i = 0; i < placed.Length; i++)
        {
            if (placed[i] is { } p)
            {
                labels.Add(new MapLabel(requests[i].Topic, requests[i].Text, p.Box, p.Leader, labelRequests[i].AnchorX, labelRequests[i].AnchorY));
            }
        }

        return layout with { Labels = labels };
    }

    /// <summary>Per topic, the coordinate-wise median of its documents: robust to a few stray members.</summary>
    public static (double X, double Y)[] Anchors(ReportModel model)
    {
        var topics = model.Data.Topics.Count;
        var xs = new List<double>[topics];
        var ys = new List<double>[topics];
        for (var t = 0; t < topics; t++)
        {
            xs[t] = [];
            ys[t] = [];
        }

        var docs = model.Data.Documents;
        for (var i = 0; i < docs.Count; i++)
        {
            var t = model.TopicIndex[i];
            if (t >= 0)
            {
                xs[t].Add(docs[i].X);
                ys[t].Add(docs[i].Y);
            }
        }

        var anchors = new (double, double)[topics];
        for (var t = 0; t < topics; t++)
        {
            anchors[t] = xs[t].Count == 0 ? (0, 0) : (Median(xs[t]), Median(ys[t]));
        }

        return anchors;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}
