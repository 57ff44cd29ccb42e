using System.Globalization;
using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// Embedding throughput, TopicKit beside its peer (shared/bench/peer_embed.mjs: onnxruntime-node + transformers.js),
/// same model, same machine, passes interleaved round-robin; plus TopicKit's overhead over bare session runs and,
/// optionally, peak memory of streaming runs in child processes.
/// </summary>
internal static class EmbedBench
{
    public const string Help =
        "[--shared DIR] [--peer-work DIR] [--install-peer] [--no-peer] [--model minilm-l6-shape] [--sets arxiv,seed] [--rounds 3] " +
        "[--threads 2] [--configs 8:input,32:input,8:sorted] [--max-other 0.15] [--token-budget N] [--max-batch N] [--chunk N] " +
        "[--spinning 0|1] [--runs N] [--memory tiny-bert:100000,minilm-l6-shape:5000]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        if (args.Get("shared") is { } shared)
        {
            Environment.SetEnvironmentVariable("TOPICKIT_SHARED", Path.GetFullPath(shared));
        }

        var rounds = args.Int("rounds", 3);
        var maxOther = args.Double("max-other", 0.15);
        var configs = args.Get("configs") ?? "8:input,32:input,8:sorted";
        var options = EncoderOptions(args);
        var modelFolder = ModelFolder(args.Get("model") ?? "minilm-l6-shape");
        var peerWork = Path.GetFullPath(args.Get("peer-work") ?? "/tmp/peer-embed");
        var peer = args.Has("no-peer") ? null : PeerEmbed.Locate(peerWork, args.Has("install-peer"));
        if (peer is null && !args.Has("no-peer"))
        {
            return 3;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"embed bench: model {modelFolder}, {options.Threads} threads, token budget {options.TokenBudget}, max batch {options.MaxBatchSize}, chunk {options.ChunkSize}, concurrent runs {options.EffectiveConcurrentRuns}, spinning {options.AllowSpinning}; load {MachineLoad.LoadAverage():F2}, {Environment.ProcessorCount} cores"));
        using var encoder = OnnxSentenceEncoder.Load(modelFolder, options);
        var verdicts = new List<bool>();
        foreach (var set in (args.Get("sets") ?? "arxiv,seed").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (rows, file) = set switch
            {
                "arxiv" => (EmbedTexts.Read(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")), SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")),
                "seed" => (EmbedTexts.SeedAbstracts(SharedData.Path("oracles", "embedding", "texts.jsonl")), Path.Combine(peerWork, "topickit-seed-abstracts.jsonl")),
                _ when File.Exists(set) => (EmbedTexts.Read(set), Path.GetFullPath(set)),
                _ => throw new ArgumentException($"Unknown text set '{set}': use arxiv, seed or a JSONL file of {{id, text}}."),
            };
            if (set == "seed" && peer is not null)
            {
                EmbedTexts.Write(file, rows);
            }

            verdicts.AddRange(RunSet(set, rows.Select(r => r.Text).ToList(), file, encoder, peer, modelFolder, configs, rounds, maxOther));
        }

        if (args.Get("memory") is { } memory)
        {
            EmbedMemoryBench.RunChildren(memory, options, SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl"));
        }

        return 0;
    }

    /// <summary>Encoder options from the common bench flags (defaults: the library's, with 2 threads).</summary>
    public static SentenceEncoderOptions EncoderOptions(BenchArgs args)
    {
        var defaults = new SentenceEncoderOptions();
        return defaults with
        {
            Threads = args.Int("threads", 2),
            TokenBudget = args.Int("token-budget", defaults.TokenBudget),
            MaxBatchSize = args.Int("max-batch", defaults.MaxBatchSize),
            ChunkSize = args.Int("chunk", defaults.ChunkSize),
            ConcurrentRuns = args.Int("runs", defaults.ConcurrentRuns),
            AllowSpinning = args.Int("spinning", defaults.AllowSpinning ? 1 : 0) != 0,
        };
    }

    /// <summary>A model folder path, or the name of a folder under shared/models.</summary>
    public static string ModelFolder(string model) =>
        Directory.Exists(model) ? Path.GetFullPath(model) : SharedData.Path("models", model);

    private static List<bool> RunSet(
        string set, List<string> texts, string file, OnnxSentenceEncoder encoder, PeerEmbed? peer, string modelFolder, string configs, int rounds, double maxOther)
    {
        using var bare = new BareSessionRunner(encoder, texts);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"== {set}: {texts.Count} texts, {(double)bare.Tokens / texts.Count:F1} tokens/text, {bare.Batches} sorted batches, padding efficiency {(double)bare.Tokens / bare.PaddedTokens:F4}; TopicKit tokenisation {bare.TokenizeSeconds:F3} s on one thread =="));

        var destination = new Numerics.Matrix(texts.Count, encoder.Dimension);
        void Ours() => encoder.Encode(texts, destination, null);

        // Untimed warm-up: JIT tiers, ORT arena growth, thread pool start-up.
        Ours();
        bare.Pass();

        var ours = new List<TimedPass>();
        var bares = new List<TimedPass>();
        var peers = new Dictionary<string, List<TimedPass>>(StringComparer.Ordinal);
        var peerTexts = 0;
        bool Enough(List<TimedPass> passes) => passes.Count(p => p.IsClean(maxOther)) >= rounds;
        bool PeerEnough() => peer is null || (peers.Count > 0 && peers.Values.All(Enough));
        for (var round = 1; round <= 3 * rounds && !(Enough(ours) && Enough(bares) && PeerEnough()); round++)
        {
            var line = $"  round {round}:";
            if (!PeerEnough())
            {
                foreach (var result in peer!.Run(modelFolder, file, configs, 1, encoder.Options.Threads, maxOther))
                {
                    peerTexts = result.Texts;
                    (peers.TryGetValue(result.Config, out var list) ? list : peers[result.Config] = []).AddRange(result.Passes);
                    line += $" peer {result.Config} {Describe(result.Passes)};";
                }
            }

            var o = MachineLoad.Time(Ours);
            ours.Add(o);
            var b = MachineLoad.Time(bare.Pass);
            bares.Add(b);
            Console.WriteLine(line + $" TopicKit {Describe([o])}; bare {Describe([b])}");
        }

        if (peer is not null && peerTexts != texts.Count)
        {
            throw new InvalidOperationException($"The peer read {peerTexts} texts from {file}, TopicKit {texts.Count}.");
        }

        double Rate(List<TimedPass> passes) => texts.Count / MachineLoad.Summarise(passes, maxOther).Median;
        void Row(string name, List<TimedPass> passes)
        {
            var (median, min, max, clean) = MachineLoad.Summarise(passes, maxOther);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {name,-24} {texts.Count / median,8:F2} {texts.Count / max,8:F2} {texts.Count / min,8:F2} {clean,3}/{passes.Count,-3} {passes.Average(p => p.OtherCores),8:F2}"));
        }

        Console.WriteLine($"  {"",-24} {"texts/s",8} {"min",8} {"max",8} {"clean",7} {"others",8}  (median of clean passes; others = mean CPU cores used by other processes)");
        Row("TopicKit (end to end)", ours);
        Row("bare session.Run", bares);
        foreach (var (config, passes) in peers)
        {
            Row("peer " + config, passes);
        }

        var verdicts = new List<bool>();
        var ourRate = Rate(ours);
        var overhead = (MachineLoad.Summarise(ours, maxOther).Median / MachineLoad.Summarise(bares, maxOther).Median) - 1;
        verdicts.Add(Report($"TopicKit overhead over bare session.Run: {overhead * 100:F1}%", overhead <= 0.10, "<= 10%"));
        if (peers.Count > 0)
        {
            var input = peers.Where(p => p.Key.EndsWith(":input", StringComparison.Ordinal)).ToList();
            var sorted = peers.Where(p => p.Key.EndsWith(":sorted", StringComparison.Ordinal)).ToList();
            if (set == "seed")
            {
                var best = peers.MaxBy(p => Rate(p.Value));
                var ratio = ourRate / Rate(best.Value);
                verdicts.Add(Report($"TopicKit / best peer ({best.Key}): {ratio:F3}x", ratio >= 1.0, ">= 1.00x"));
            }
            else
            {
                if (input.Count > 0)
                {
                    var best = input.MaxBy(p => Rate(p.Value));
                    var ratio = ourRate / Rate(best.Value);
                    verdicts.Add(Report($"TopicKit / best peer input order ({best.Key}): {ratio:F3}x", ratio >= 1.5, ">= 1.50x"));
                }

                foreach (var (config, passes) in sorted)
                {
                    var ratio = ourRate / Rate(passes);
                    verdicts.Add(Report($"TopicKit / peer {config}: {ratio:F3}x", ratio >= 1.05, ">= 1.05x"));
                }
            }
        }

        return verdicts;
    }

    private static string Describe(IReadOnlyList<TimedPass> passes) =>
        string.Join(
            ",",
            passes.Select(p => string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Seconds:F2}s(others {p.OtherCores:F2}{(double.IsNaN(p.OwnCpuSeconds) ? string.Empty : $", cpu {p.OwnCpuSeconds:F2}s")})")));

    private static bool Report(string what, bool met, string target)
    {
        Console.WriteLine($"  {what}  target {target}: {(met ? "met" : "NOT met")}");
        return met;
    }
}
