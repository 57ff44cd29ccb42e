using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using TopicKit.Reporting;
using TopicKit.Tests.Reporting;

namespace TopicKit.Bench;

/// <summary>
/// The interactive report at scale: writes a report of N synthetic documents, then opens index.html in headless
/// Debian chromium and times how long the map takes to draw completely (the canvas's data-points attribute appears).
/// Targets from issue 12: drawn within 10 s on 2 cores, index.html at most 40 MB.
/// </summary>
internal static class ReportBench
{
    public const string Help = "[--points 100000] [--topics 150] [--abstract-chars 0] [--rounds 3] [--out DIR] [--no-browser]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var points = args.Int("points", 100_000);
        var topics = args.Int("topics", 150);
        var rounds = args.Int("rounds", 3);
        var outDir = args.Get("out") ?? Path.Combine(Path.GetTempPath(), $"topickit-report-bench-{points}");
        var abstractChars = args.Int("abstract-chars", 0);
        var data = SyntheticReport.Create(points, topics, seed: 7, hierarchy: topics <= 200, abstractChars: abstractChars);
        var textChars = data.Documents.Sum(d => (long)d.Abstract.Length + (d.Title?.Length ?? 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"report: {points:N0} synthetic documents ({textChars / (double)points:F0} title+abstract chars each), {topics} topics, {Environment.ProcessorCount} cores, load average {MachineLoad.LoadAverage():F2}"));

        var sw = Stopwatch.StartNew();
        var result = ReportWriter.Write(data, outDir);
        sw.Stop();
        var htmlMb = result.HtmlBytes / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ReportWriter.Write: {sw.Elapsed.TotalSeconds:F2} s, index.html {htmlMb:F2} MB (target <= 40 MB), {result.LabelledTopics}/{topics} labels on the static map, out {outDir}"));
        foreach (var file in result.Files)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {file,-24} {new FileInfo(Path.Combine(outDir, file)).Length / 1e6,8:F2} MB"));
        }

        if (args.Has("no-browser"))
        {
            return 0;
        }

        var url = HeadlessChromium.FileUrl(Path.Combine(outDir, "index.html"));
        var walls = new List<double>();
        var inPage = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            // A fresh browser per round: nothing cached, as a person opening the file.
            using var driver = HeadlessChromium.Start();
            var clock = Stopwatch.StartNew();
            driver.Navigate().GoToUrl(url);
            string? drawn = null;
            while (clock.Elapsed.TotalSeconds < 60 && string.IsNullOrEmpty(drawn))
            {
                drawn = driver.FindElement(By.Id("map")).GetAttribute("data-points");
                if (string.IsNullOrEmpty(drawn))
                {
                    Thread.Sleep(20);
                }
            }

            clock.Stop();
            var ms = double.Parse(driver.FindElement(By.Id("map")).GetAttribute("data-drawn-ms") ?? "NaN", CultureInfo.InvariantCulture);
            walls.Add(clock.Elapsed.TotalSeconds);
            inPage.Add(ms / 1000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {r}: drawn {drawn} points; {clock.Elapsed.TotalSeconds:F2} s from navigate to drawn (WebDriver wall), {ms / 1000:F2} s from navigation start (in page); load average {MachineLoad.LoadAverage():F2}"));
        }

        walls.Sort();
        inPage.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median time to drawn: {walls[walls.Count / 2]:F2} s wall, {inPage[inPage.Count / 2]:F2} s in page (target <= 10 s); index.html {htmlMb:F2} MB"));
        return 0;
    }
}
