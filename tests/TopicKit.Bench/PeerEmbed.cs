using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>One peer configuration's passes from one run of <c>shared/bench/peer_embed.mjs</c>.</summary>
internal sealed record PeerResult(string Config, int Texts, IReadOnlyList<TimedPass> Passes, double PadEfficiency, double TokenizeSeconds);

/// <summary>
/// The embedding peer: <c>shared/bench/peer_embed.mjs</c> (transformers.js tokenisation and batching over
/// onnxruntime-node), run as a child process from a scratch folder that holds its npm packages.
/// </summary>
internal sealed class PeerEmbed
{
    public const string TransformersPackage = "@huggingface/transformers@4.3.1";
    public const string OrtPackage = "onnxruntime-node@1.30.0";

    private PeerEmbed(string work, string script)
    {
        Work = work;
        Script = script;
    }

    /// <summary>Scratch folder with node_modules.</summary>
    public string Work { get; }

    /// <summary>Path of peer_embed.mjs.</summary>
    public string Script { get; }

    /// <summary>How to set the peer up by hand.</summary>
    public static string SetupHelp(string work) =>
        $"The embedding peer needs node and two npm packages in a scratch folder outside the repository:{Environment.NewLine}" +
        $"  mkdir -p {work} && cd {work} && npm init -y >/dev/null && npm install --ignore-scripts {TransformersPackage} {OrtPackage}{Environment.NewLine}" +
        "then pass --peer-work " + work + " (or --install-peer to let the bench run these commands, or --no-peer to time TopicKit alone).";

    /// <summary>
    /// Finds the peer packages in <paramref name="work"/>, installing them there with npm when <paramref name="install"/>
    /// is set; returns null (after printing how to set it up) when they are not available.
    /// </summary>
    public static PeerEmbed? Locate(string work, bool install)
    {
        work = Path.GetFullPath(work);
        var script = SharedData.Path("bench", "peer_embed.mjs");
        if (!File.Exists(script))
        {
            Console.Error.WriteLine($"peer: {script} is missing; the shared folder is incomplete.");
            return null;
        }

        var repo = SharedData.RepoRoot + Path.DirectorySeparatorChar;
        if ((work + Path.DirectorySeparatorChar).StartsWith(repo, StringComparison.Ordinal))
        {
            throw new ArgumentException($"--peer-work {work} is inside the repository; give a scratch folder outside it, e.g. /tmp/peer-embed.");
        }

        if (!Installed(work) && install)
        {
            Console.Error.WriteLine($"peer: installing {TransformersPackage} and {OrtPackage} into {work} ...");
            Directory.CreateDirectory(work);
            var ok = (File.Exists(Path.Combine(work, "package.json")) || Shell(work, "npm", "init -y") == 0)
                && Shell(work, "npm", $"install --ignore-scripts --no-audit --no-fund {TransformersPackage} {OrtPackage}") == 0;
            if (!ok)
            {
                Console.Error.WriteLine("peer: npm install failed.");
            }
        }

        if (!Installed(work))
        {
            Console.Error.WriteLine($"peer: not found in {work}.");
            Console.Error.WriteLine(SetupHelp(work));
            return null;
        }

        return new PeerEmbed(work, script);
    }

    /// <summary>Runs the peer once over <paramref name="textsFile"/> for the given configs; one result per config.</summary>
    public IReadOnlyList<PeerResult> Run(string model, string textsFile, string configs, int rounds, int threads, double maxOther)
    {
        var args = string.Create(
            CultureInfo.InvariantCulture,
            $"\"{Script}\" --work \"{Work}\" --model \"{model}\" --texts \"{textsFile}\" --configs {configs} --rounds {rounds} --threads {threads} --max-other {maxOther}");
        var info = new ProcessStartInfo("node", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start node.");
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith('{'))
            {
                lines.Add(line);
            }
        }

        process.WaitForExit();
        if (process.ExitCode != 0 || lines.Count == 0)
        {
            throw new InvalidOperationException($"peer_embed.mjs exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return lines.Select(Parse).ToList();
    }

    private static PeerResult Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var passes = root.GetProperty("passes").EnumerateArray()
            .Select(p => new TimedPass(p.GetProperty("s").GetDouble(), p.GetProperty("other_cores").GetDouble()))
            .ToList();
        var config = string.Create(CultureInfo.InvariantCulture, $"{root.GetProperty("batch_size").GetInt32()}:{root.GetProperty("order").GetString()}");
        return new PeerResult(
            config,
            root.GetProperty("texts").GetInt32(),
            passes,
            root.GetProperty("pad_efficiency").GetDouble(),
            root.GetProperty("tokenize_seconds_transformersjs").GetDouble());
    }

    private static bool Installed(string work) =>
        File.Exists(Path.Combine(work, "node_modules", "onnxruntime-node", "package.json"))
        && File.Exists(Path.Combine(work, "node_modules", "@huggingface", "transformers", "package.json"));

    private static int Shell(string folder, string file, string args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = folder, UseShellExecute = false })
                ?? throw new InvalidOperationException($"Cannot start {file}.");
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"peer: cannot run {file}: {e.Message}");
            return -1;
        }
    }
}
