using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// Runs the Python clustering peer (<c>peers/peer_cluster.py</c>) at its best: against OpenBLAS
/// (<c>libopenblas0-pthread</c>) with <c>OPENBLAS_CORETYPE</c> set for this CPU, and reports the BLAS it loaded.
/// Without OpenBLAS, Debian's numpy falls back to the reference BLAS (about 5 GFLOP/s), which flatters every ratio.
/// </summary>
internal static class PythonPeer
{
    /// <summary>What scikit-learn needs to run at its best; umap-learn and R dbscan are added by the benches that use them.</summary>
    public static readonly string[] Packages = ["python3-sklearn", "python3-threadpoolctl", "libopenblas0-pthread"];

    public static string Script => Path.Combine(SharedData.RepoRoot, "tests", "TopicKit.Bench", "peers", "peer_cluster.py");

    /// <summary>SkylakeX on AVX-512 CPUs, Haswell on AVX2-only ones, null otherwise (OpenBLAS then picks by itself).</summary>
    public static string? CoreType()
    {
        if (!File.Exists("/proc/cpuinfo"))
        {
            return null;
        }

        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        return flags.Contains("avx512f") ? "SkylakeX" : flags.Contains("avx2") ? "Haswell" : null;
    }

    /// <summary>
    /// Checks that OpenBLAS and the peers' packages are installed; with <paramref name="install"/> installs the missing
    /// ones with apt-get, otherwise prints the command. Returns false when the peer cannot run at its best.
    /// </summary>
    public static bool Ensure(bool install, params string[] extra)
    {
        var missing = Packages.Concat(extra).Where(p => !Installed(p)).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        if (!install)
        {
            Console.Error.WriteLine($"peer packages missing: {string.Join(' ', missing)}; run `apt-get install -y {string.Join(' ', missing)}` or pass --install-peers.");
            return false;
        }

        Run("apt-get", "update", "-qq");
        Run("apt-get", ["install", "-y", "-qq", .. missing]);
        return missing.All(Installed);
    }

    /// <summary>Runs the peer script and returns its JSON line; null (with a message) when it fails.</summary>
    public static JsonElement? Cluster(string python, string data, int seed, params string[] algorithm)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Script, data }.Concat(algorithm).Concat(["--seed", seed.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(arg);
        }

        if (CoreType() is { } core)
        {
            start.Environment["OPENBLAS_CORETYPE"] = core;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"peer {string.Join(' ', algorithm)} on {Path.GetFileName(data)} failed (exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
            return null;
        }

        using var json = JsonDocument.Parse(line);
        return json.RootElement.Clone();
    }

    /// <summary>The BLAS line of a peer result, or "-".</summary>
    public static string Blas(JsonElement? peer) =>
        peer is { } p && p.TryGetProperty("blas", out var blas) ? blas.GetString() ?? "-" : "-";

    /// <summary>The 1-, 5- and 15-minute load averages as <c>uptime</c> prints them.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static bool Installed(string package)
    {
        var info = new ProcessStartInfo("dpkg-query", ["-W", "-f=${Status}", package]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info);
        if (process is null)
        {
            return false;
        }

        var status = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return status.Contains("install ok installed", StringComparison.Ordinal);
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { UseShellExecute = false };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        process.WaitForExit();
    }
}
