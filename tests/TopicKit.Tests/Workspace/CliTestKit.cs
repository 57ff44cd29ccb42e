using System.CommandLine;
using System.Diagnostics;
using TopicKit.Cli;

namespace TopicKit.Tests.Workspace;

/// <summary>Runs <c>topickit</c> in-process (captured stdout/stderr) or as a child process.</summary>
internal static class CliTestKit
{
    public sealed record CliRun(int ExitCode, string Stdout, string Stderr);

    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliRun> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        int exitCode;
        if (cancellationToken.CanBeCanceled)
        {
            var parseResult = CliApp.BuildRoot().Parse(args);
            exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        else
        {
            exitCode = await CliApp.RunAsync(args, configuration);
        }

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built CLI (TopicKit.Cli.dll beside the test assembly) as a separate process.</summary>
    public static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TopicKit.Cli.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(host) ? "dotnet" : host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public static async Task<CliRun> WaitAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Path of the committed sample corpus.</summary>
    public static string SampleCorpus =>
        Path.Combine(Infrastructure.SharedData.RepoRoot, "notebooks", "data", "sample-abstracts.jsonl");
}
