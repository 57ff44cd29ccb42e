using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using TopicKit.Embedding;

namespace TopicKit.Bench;

/// <summary>
/// Compares encoder settings on one text set, passes interleaved round-robin in one process: wall time and this
/// process's CPU time per pass (CPU time stays comparable when other processes share the cores, if spinning is off).
/// </summary>
internal static class EmbedTuneBench
{
    public const string Help =
        "--variants \"NAME:key=v,key=v;NAME2:...\" [--texts FILE] [--count N] [--model M] [--rounds 3] [--max-other 0.15] " +
        "(keys: threads runs budget batch chunk spinning opt=0|1|2|99 mempattern=0|1 denormal=0|1)";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        if (args.Get("shared") is { } shared)
        {
            Environment.SetEnvironmentVariable("TOPICKIT_SHARED", Path.GetFullPath(shared));
        }

        var model = EmbedBench.ModelFolder(args.Get("model") ?? "minilm-l6-shape");
        var file = args.Get("texts") ?? Tests.Infrastructure.SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl");
        var texts = EmbedTexts.Read(file).Select(r => r.Text).Take(args.Int("count", int.MaxValue)).ToList();
        var rounds = args.Int("rounds", 3);
        var maxOther = args.Double("max-other", 0.15);
        var variants = (args.Get("variants") ?? throw new ArgumentException("--variants is required."))
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => Parse(v, EmbedBench.EncoderOptions(args)))
            .ToList();
        var encoders = variants.Select(v => (v.Name, Encoder: OnnxSentenceEncoder.Load(model, v.Options))).ToList();
        try
        {
            var destination = new Numerics.Matrix(texts.Count, encoders[0].Encoder.Dimension);
            foreach (var (_, encoder) in encoders)
            {
                encoder.Encode(texts, destination, null);
            }

            var passes = encoders.ToDictionary(e => e.Name, _ => new List<TimedPass>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, encoder) in encoders)
                {
                    var pass = MachineLoad.Time(() => encoder.Encode(texts, destination, null));
                    passes[name].Add(pass);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-20} {pass.Seconds,7:F2} s  cpu {pass.OwnCpuSeconds,7:F2} s  others {pass.OtherCores:F2}"));
                }
            }

            Console.WriteLine($"{texts.Count} texts from {file}");
            foreach (var (name, list) in passes)
            {
                var (median, _, _, clean) = MachineLoad.Summarise(list, maxOther);
                var cpu = list.Select(p => p.OwnCpuSeconds).Order().ToList()[list.Count / 2];
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {name,-20} {texts.Count / median,8:F2} texts/s  (clean {clean}/{list.Count})  {texts.Count / cpu,8:F2} texts per CPU-second (median)"));
            }
        }
        finally
        {
            foreach (var (_, encoder) in encoders)
            {
                encoder.Dispose();
            }
        }

        return 0;
    }

    private static (string Name, SentenceEncoderOptions Options) Parse(string spec, SentenceEncoderOptions options)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? spec : spec[..colon];
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in colon < 0 ? [] : spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, text) = (pair.Split('=')[0], pair.Split('=')[1]);
            var value = int.Parse(text, CultureInfo.InvariantCulture);
            options = key switch
            {
                "threads" => options with { Threads = value },
                "runs" => options with { ConcurrentRuns = value },
                "budget" => options with { TokenBudget = value },
                "batch" => options with { MaxBatchSize = value },
                "chunk" => options with { ChunkSize = value },
                "spinning" => options with { AllowSpinning = value != 0 },
                "opt" => options with { GraphOptimizationLevel = (GraphOptimizationLevel)value },
                "mempattern" => options with { MemPattern = value != 0 },
                "denormal" => options with { ExtraSessionConfig = extra },
                _ => throw new ArgumentException($"Unknown variant key '{key}' in '{spec}'."),
            };
            if (key == "denormal")
            {
                extra["session.set_denormal_as_zero"] = text;
            }
        }

        return (name, options);
    }
}
