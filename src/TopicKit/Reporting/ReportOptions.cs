namespace TopicKit.Reporting;

/// <summary>How a report is drawn. Every default is the value documented on its property.</summary>
public sealed record ReportOptions
{
    /// <summary>Topic map size in pixels (default 1600 x 1100).</summary>
    public int MapWidth { get; init; } = 1600;

    /// <summary>Topic map height in pixels (default 1100).</summary>
    public int MapHeight { get; init; } = 1100;

    /// <summary>Width of the other figures in pixels (default 1100); heights follow their content.</summary>
    public int FigureWidth { get; init; } = 1100;

    /// <summary>
    /// Font family for every figure (default "DejaVu Sans", Debian's fonts-dejavu-core). When it is not installed the
    /// figures fall back to ScottPlot's default sans-serif font.
    /// </summary>
    public string FontName { get; init; } = "DejaVu Sans";

    /// <summary>Topic label font size on the static map in pixels (default 13).</summary>
    public float MapLabelFontSize { get; init; } = 13;

    /// <summary>Most topic labels on the static map, biggest topics first (default 200).</summary>
    public int MaxMapLabels { get; init; } = 200;

    /// <summary>Characters of a label kept before it is cut with an ellipsis (default 36).</summary>
    public int MaxLabelLength { get; init; } = 36;

    /// <summary>Topics shown in the keyword small multiples, biggest first (default 24).</summary>
    public int MaxKeywordPanels { get; init; } = 24;

    /// <summary>Keywords per small-multiple panel (default 6).</summary>
    public int KeywordsPerPanel { get; init; } = 6;

    /// <summary>Topics shown in the size bar chart, biggest first (default 60).</summary>
    public int MaxSizeBars { get; init; } = 60;

    /// <summary>Topic series in the topics-over-time figure, biggest first (default 10).</summary>
    public int MaxTimeSeries { get; init; } = 10;

    /// <summary>Nearest neighbours listed for a pinned document (default 8).</summary>
    public int NeighborCount { get; init; } = 8;

    /// <summary>
    /// Abstract characters kept in the interactive report (default 5000); longer abstracts are cut with an ellipsis,
    /// which bounds the file size. documents.csv is not affected.
    /// </summary>
    public int MaxAbstractChars { get; init; } = 5000;

    /// <summary>
    /// Size budget of index.html in bytes (default 40,000,000). When the page would be larger, abstracts in it are cut
    /// shorter (halving the cap, down to 200 characters) until it fits; titles, authors and the map are never cut.
    /// </summary>
    public long MaxHtmlBytes { get; init; } = 40_000_000;
}
