using ScottPlot;

namespace TopicKit.Reporting;

/// <summary>One rendered static figure: its file stem, caption, and PNG and SVG encodings.</summary>
internal sealed record Figure(string Name, string Caption, byte[] Png, string Svg, int Width, int Height)
{
    /// <summary>Labels drawn (the topic map's topic labels).</summary>
    public int Labelled { get; init; }
}

/// <summary>Shared styling and rendering for the static figures.</summary>
internal static class FigureKit
{
    /// <summary>The font to use: the requested one when installed, else ScottPlot's default sans-serif.</summary>
    public static string ResolveFont(string requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return Fonts.Sans;
        }

        // Skia substitutes a default family for a missing one, so compare the family that came back.
        var typeface = Fonts.GetTypeface(requested, bold: false, italic: false);
        return typeface is not null && string.Equals(typeface.FamilyName, requested, StringComparison.OrdinalIgnoreCase) ? requested : Fonts.Sans;
    }

    /// <summary>A plot with the report's look: white background, the given font, a title.</summary>
    public static Plot NewPlot(string font, string title)
    {
        var plot = new Plot();
        plot.Font.Set(font);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        if (!string.IsNullOrEmpty(title))
        {
            plot.Title(title, 18);
            plot.Axes.Title.Label.FontName = font;
        }

        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> as PNG and SVG at the given size.</summary>
    public static Figure Render(Plot plot, string name, string caption, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = plot.GetSvgXml(width, height);
        return new Figure(name, caption, png, svg, width, height);
    }

    /// <summary>Pixel size of <paramref name="text"/> in the given font, as a ScottPlot label draws it.</summary>
    public static (double Width, double Height) Measure(string text, string font, float size, bool bold = false)
    {
        var style = new LabelStyle { FontName = font, FontSize = size, Bold = bold };
        using var paint = Paint.NewDisposablePaint();
        var measured = style.Measure(text, paint);
        return (measured.Width, measured.Height);
    }

    public static Color ToColor(string hex) => Color.FromHex(hex);

    /// <summary>A label for a topic in axes and legends: "id: label", cut to <paramref name="maxLength"/>.</summary>
    public static string TopicCaption(ReportTopic topic, int maxLength) =>
        ReportModel.ShortLabel($"{topic.Id}: {topic.Label}", maxLength);
}
