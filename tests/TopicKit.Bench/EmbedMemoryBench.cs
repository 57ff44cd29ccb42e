using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// Peak memory of streaming embedding: <c>embed-memory</c> encodes COUNT texts, made by cycling a JSONL file and read
/// lazily, through <see cref="OnnxSentenceEncoder.EncodeChunks"/>, keeping only a running checksum of the vectors,
/// and prints its peak resident set (VmHWM) at the end. Run in a child process per model so each peak is its own.
/// </summary>
internal static class EmbedMemoryBench
{
    public const string Help = "--model NAME|DIR --count N [--texts FILE] [--threads 2] [--token-budget N] [--max-batch N] [--chunk N] (child of `embed --memory`)";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        if (args.Get("shared") is { } shared)
        {
            Environment.SetEnvironmentVariable("TOPICKIT_SHARED", Path.GetFullPath(shared));
        }

        var model = EmbedBench.ModelFolder(args.Get("model") ?? "tiny-bert");
        var count = args.Int("count", 100_000);
        var texts = args.Get("texts") ?? SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl");
        var options = EmbedBench.EncoderOptions(args);
        using var encoder = OnnxSentenceEncoder.Load(model, options);
        var afterLoad = MachineLoad.StatusMiB("VmHWM");
        var watch = Stopwatch.StartNew();
        var done = 0;
        var checksum = 0.0;
        foreach (var chunk in encoder.EncodeChunks(EmbedTexts.Cycle(texts, count)))
        {
            for (var r = 0; r < chunk.Rows; r++)
            {
                checksum += chunk.Row(r)[0];
            }

            done += chunk.Rows;
        }

        watch.Stop();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = Path.GetFileName(model),
            ["texts"] = done,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 2),
            ["texts_per_s"] = Math.Round(done / watch.Elapsed.TotalSeconds, 1),
            ["peak_rss_mib_after_load"] = Math.Round(afterLoad, 1),
            ["peak_rss_mib"] = Math.Round(MachineLoad.StatusMiB("VmHWM"), 1),
            ["checksum"] = Math.Round(checksum, 6),
        }));
        return done == count ? 0 : 1;
    }

    /// <summary>Runs one child per <c>model:count</c> item of <paramref name="spec"/> and prints their peaks.</summary>
    public static void RunChildren(string spec, SentenceEncoderOptions options, string texts)
    {
        Console.WriteLine($"== peak memory (child process per run, VmHWM; texts cycle {texts}) ==");
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            var model = parts[0];
            var count = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 100_000;
            var childArgs = string.Create(
                CultureInfo.InvariantCulture,
                $"embed-memory --shared \"{SharedData.Root}\" --model \"{model}\" --count {count} --texts \"{texts}\" --threads {options.Threads} --token-budget {options.TokenBudget} --max-batch {options.MaxBatchSize} --chunk {options.ChunkSize} --spinning {(options.AllowSpinning ? 1 : 0)} --runs {options.ConcurrentRuns}");
            var line = RunSelf(childArgs);
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {root.GetProperty("model").GetString(),-18} {root.GetProperty("texts").GetInt32(),8} texts  {root.GetProperty("texts_per_s").GetDouble(),8:F1} texts/s  peak RSS {root.GetProperty("peak_rss_mib").GetDouble(),7:F1} MiB (after model load {root.GetProperty("peak_rss_mib_after_load").GetDouble():F1} MiB)"));
        }
    }

    private static string RunSelf(string arguments)
    {
        // Under `dotnet TopicKit.Bench.dll` the process is dotnet itself: pass the assembly first.
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this process's executable.");
        if (Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            arguments = $"\"{Assembly.GetEntryAssembly()!.Location}\" {arguments}";
        }

        var info = new ProcessStartInfo(exe, arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {exe}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
        {
            throw new InvalidOperationException($"embed-memory child failed with exit code {process.ExitCode}: {output.Trim()}");
        }

        return json;
    }
}
