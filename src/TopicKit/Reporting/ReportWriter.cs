namespace TopicKit.Reporting;

/// <summary>Progress of <see cref="ReportWriter.Write"/>: the step just started, of how many.</summary>
/// <param name="Step">What is being done, e.g. "figure topic-map".</param>
/// <param name="Done">Steps finished before this one.</param>
/// <param name="Total">All steps.</param>
public sealed record ReportProgress(string Step, int Done, int Total);

/// <summary>What <see cref="ReportWriter.Write"/> wrote.</summary>
/// <param name="OutDirectory">The absolute output folder.</param>
/// <param name="Files">File names written, relative to <paramref name="OutDirectory"/>.</param>
/// <param name="LabelledTopics">Topic labels shown on the static topic map.</param>
/// <param name="HtmlBytes">Size of index.html in bytes.</param>
public sealed record ReportResult(string OutDirectory, IReadOnlyList<string> Files, int LabelledTopics, long HtmlBytes);

/// <summary>
/// Writes a report folder: <c>index.html</c> (self-contained interactive map), every static figure as
/// <c>.svg</c> and <c>.png</c> (<c>topic-map</c>, <c>topic-sizes</c>, <c>topic-keywords</c>, <c>intertopic-map</c>,
/// and when their input exists <c>topic-similarity</c>, <c>topic-hierarchy</c>, <c>topics-over-time</c>),
/// <c>topics.csv</c>, <c>documents.csv</c> and <c>duplicates.csv</c>.
/// </summary>
public static class ReportWriter
{
    /// <summary>
    /// Renders everything in memory, then writes each file through a temporary file and a rename: a cancelled or
    /// failed run leaves no half-written file (files already renamed stay whole).
    /// </summary>
    /// <param name="data">The report content.</param>
    /// <param name="outDirectory">Output folder; created when missing; existing report files are replaced.</param>
    /// <param name="options">Drawing options; null for the defaults.</param>
    /// <param name="progress">Optional step reports.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <exception cref="ArgumentException">When <paramref name="data"/> is inconsistent; the message names the record.</exception>
    /// <exception cref="OperationCanceledException">When cancelled.</exception>
    public static ReportResult Write(ReportData data, string outDirectory, ReportOptions? options = null,
        IProgress<ReportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        options ??= new ReportOptions();
        var model = ReportModel.Build(data);
        var font = FigureKit.ResolveFont(options.FontName);

        var steps = new List<(string Name, Func<Figure?> Render)>
        {
            (TopicMapFigure.Name, () => TopicMapFigure.Render(model, options, font)),
            ("topic-sizes", () => TopicChartFigures.Sizes(model, options, font)),
            ("topic-keywords", () => TopicChartFigures.Keywords(model, options, font)),
            ("intertopic-map", () => model.Data.Topics.Count == 0 ? null : TopicChartFigures.Intertopic(model, options, font)),
            ("topic-similarity", () => model.Data.TopicSimilarity is null || model.Data.Topics.Count == 0 ? null : HierarchyFigures.Heatmap(model, options, font)),
            ("topic-hierarchy", () => model.Data.Hierarchy is { Count: > 0 } ? HierarchyFigures.Dendrogram(model, options, font) : null),
            ("topics-over-time", () => TimeFigure.Render(model, options, font)),
        };
        var total = steps.Count + 2;
        var figures = new List<Figure>();
        for (var s = 0; s < steps.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ReportProgress($"figure {steps[s].Name}", s, total));
            if (steps[s].Render() is { } figure)
            {
                figures.Add(figure);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new ReportProgress("index.html", steps.Count, total));
        var html = HtmlReport.Build(model, options, figures, cancellationToken);

        progress?.Report(new ReportProgress("writing files", steps.Count + 1, total));
        var outDir = Path.GetFullPath(outDirectory);
        Directory.CreateDirectory(outDir);
        var files = new List<string>();
        void Text(string name, string content)
        {
            AtomicFile.WriteText(Path.Combine(outDir, name), content, cancellationToken);
            files.Add(name);
        }

        foreach (var figure in figures)
        {
            AtomicFile.WriteBytes(Path.Combine(outDir, figure.Name + ".png"), figure.Png, cancellationToken);
            files.Add(figure.Name + ".png");
            Text(figure.Name + ".svg", figure.Svg);
        }

        Text("topics.csv", ReportCsv.Topics(model));
        Text("documents.csv", ReportCsv.Documents(model));
        Text("duplicates.csv", ReportCsv.Duplicates(model));
        // The page last: its presence means the whole report is there.
        Text("index.html", html);
        var labelled = figures.Single(f => f.Name == TopicMapFigure.Name).Labelled;
        return new ReportResult(outDir, files, labelled, new FileInfo(Path.Combine(outDir, "index.html")).Length);
    }
}
