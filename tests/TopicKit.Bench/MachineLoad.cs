using System.Diagnostics;
using System.Globalization;

namespace TopicKit.Bench;

/// <summary>One timed pass: wall seconds and the CPU other processes used meanwhile (in cores).</summary>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="OtherCores">Busy CPU of the whole machine minus this process's, divided by the wall time.</param>
/// <param name="OwnCpuSeconds">CPU seconds this process used (NaN for the peer's passes).</param>
internal readonly record struct TimedPass(double Seconds, double OtherCores, double OwnCpuSeconds = double.NaN)
{
    public bool IsClean(double maxOtherCores) => OtherCores <= maxOtherCores;
}

/// <summary>
/// Times passes on a shared machine the way the peer scripts do: /proc/stat busy time (user+nice+system+irq+softirq+steal,
/// USER_HZ = 100) minus this process's CPU time gives the CPU other processes took during the pass, so noisy passes can
/// be excluded. Off Linux the other-process share reads as 0.
/// </summary>
internal static class MachineLoad
{
    public static TimedPass Time(Action pass)
    {
        var busy0 = SystemBusySeconds();
        var own0 = OwnCpuSeconds();
        var watch = Stopwatch.StartNew();
        pass();
        watch.Stop();
        var wall = watch.Elapsed.TotalSeconds;
        var own = OwnCpuSeconds() - own0;
        var other = Math.Max(0, SystemBusySeconds() - busy0 - own) / Math.Max(wall, 1e-9);
        return new TimedPass(wall, Math.Round(other, 2), own);
    }

    /// <summary>Busy CPU seconds of the whole machine since boot.</summary>
    public static double SystemBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        using var reader = new StreamReader("/proc/stat");
        var fields = (reader.ReadLine() ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double Field(int i) => i < fields.Length ? double.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / 100.0;
    }

    public static double OwnCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>A field of /proc/self/status in MiB (e.g. VmHWM, the peak resident set), or -1 when unavailable.</summary>
    public static double StatusMiB(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return -1;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return double.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return -1;
    }

    /// <summary>The 1-minute load average, or -1 when unavailable.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : -1;

    /// <summary>Median, min and max of the clean passes' seconds (all passes when none is clean).</summary>
    public static (double Median, double Min, double Max, int Clean) Summarise(IReadOnlyList<TimedPass> passes, double maxOtherCores)
    {
        var clean = passes.Where(p => p.IsClean(maxOtherCores)).Select(p => p.Seconds).ToList();
        var used = (clean.Count > 0 ? clean : passes.Select(p => p.Seconds).ToList()).OrderBy(s => s).ToList();
        if (used.Count == 0)
        {
            return (double.NaN, double.NaN, double.NaN, 0);
        }

        var n = used.Count;
        var median = n % 2 == 1 ? used[n / 2] : (used[(n / 2) - 1] + used[n / 2]) / 2;
        return (median, used[0], used[^1], clean.Count);
    }
}
