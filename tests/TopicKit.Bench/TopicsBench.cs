using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Tests.Infrastructure;
using TopicKit.Topics;

namespace TopicKit.Bench;

/// <summary>
/// c-TF-IDF plus keywords for N abstracts (the 2,000 arXiv texts cycled to N, so every text occurs N / 2,000 times)
/// against <c>peer_ctfidf.py</c> (scikit-learn CountVectorizer + BERTopic's formula) on the same texts in the same run.
/// </summary>
internal static class TopicsBench
{
    public const string Help = "[--docs 100000] [--repeat 3] [--no-peer] [--peer-python /usr/bin/python3]";

    public static int Run(string[] arguments)
    {
        var args = new BenchArgs(arguments);
        var n = args.Int("docs", 100_000);
        var repeat = args.Int("repeat", 3);
        var textsPath = SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl");
        var labelsPath = SharedData.Path("oracles", "topics", "arxiv-2000-archive-labels.csv");
        var oraclePath = SharedData.Path("oracles", "topics", "ctfidf-arxiv-2000-archives.json");
        var baseTexts = File.ReadLines(textsPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!)).ToArray();
        var labelOf = File.ReadLines(labelsPath).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var names = labelOf.Values.Distinct().Order(StringComparer.Ordinal).ToList();
        var texts = Enumerable.Range(0, n).Select(i => baseTexts[i % baseTexts.Length].Text).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => names.IndexOf(labelOf[baseTexts[i % baseTexts.Length].Id])).ToArray();
        using var oracle = JsonDocument.Parse(File.ReadAllBytes(oraclePath));
        var stop = StopWordList.FromWords(oracle.RootElement.GetProperty("stop_words").EnumerateArray().Select(e => e.GetString()!));
        var documents = new TopicDocuments(texts, labels);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ctfidf: {n} texts (the 2,000 arXiv texts cycled), {names.Count} classes, {Environment.ProcessorCount} cores, load average {MachineLoad.LoadAverage():F2}"));

        TopicRepresentation? keywordsOnly = null;
        foreach (var (name, options) in new[]
                 {
                     ("c-TF-IDF + top 10 keywords", new ClassTfidfOptions(StopWords: stop, RepresentativeDocumentCount: 0)),
                     ("same + 3 representative docs (default)", new ClassTfidfOptions(StopWords: stop)),
                 })
        {
            var representer = new ClassTfidfRepresenter(options);
            representer.Fit(new TopicDocuments(texts[..Math.Min(n, 2000)], labels[..Math.Min(n, 2000)]));
            var passes = new List<TimedPass>();
            TopicRepresentation? fitted = null;
            for (var r = 0; r < repeat; r++)
            {
                passes.Add(MachineLoad.Time(() => fitted = representer.Fit(documents)));
            }

            keywordsOnly ??= fitted;
            var (median, min, max, _) = MachineLoad.Summarise(passes, 10);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  TopicKit {name,-40} median {median:F3} s (min {min:F3}, max {max:F3}), CPU {string.Join("/", passes.Select(p => p.OwnCpuSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s; other processes {string.Join("/", passes.Select(p => p.OtherCores.ToString("F2", CultureInfo.InvariantCulture)))} cores"));
        }

        if (args.Has("no-peer"))
        {
            return 0;
        }

        var python = args.Get("peer-python") ?? "/usr/bin/python3";
        var script = Path.Combine(SharedData.RepoRoot, "tests", "TopicKit.Bench", "peer_ctfidf.py");
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, textsPath, labelsPath, oraclePath, n.ToString(CultureInfo.InvariantCulture), repeat.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["OPENBLAS_CORETYPE"] = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "SkylakeX";
        using var peer = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {python}.");
        var line = peer.StandardOutput.ReadToEnd().Trim();
        peer.WaitForExit();
        if (peer.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {peer.ExitCode}; install python3-sklearn.");
        }

        using var result = JsonDocument.Parse(line);
        var seconds = result.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();
        var cpu = result.RootElement.GetProperty("cpu_seconds").EnumerateArray().Select(e => e.GetDouble().ToString("F2", CultureInfo.InvariantCulture));
        var same = keywordsOnly!.Topics.All(t =>
            result.RootElement.GetProperty("top").GetProperty(names[t.Id]).EnumerateArray().Select(e => e.GetString()).SequenceEqual(t.Keywords.Select(k => k.Term)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  peer (scikit-learn CountVectorizer + formula)          median {seconds[seconds.Length / 2]:F3} s (min {seconds[0]:F3}), CPU {string.Join("/", cpu)} s; same top-10 terms as TopicKit: {same}"));
        Console.WriteLine("  peer BLAS: " + result.RootElement.GetProperty("blas").GetString());
        return 0;
    }
}
