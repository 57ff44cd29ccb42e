namespace TopicKit.Tests.Infrastructure;

/// <summary>
/// Locates the <c>shared/</c> folder of models, data and oracles that lives beside the checkout.
/// Override with the <c>TOPICKIT_SHARED</c> environment variable.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>Absolute path of the shared folder.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>Path of a file or folder inside the shared folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Root of the repository checkout (the folder holding TopicKit.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "TopicKit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find TopicKit.sln above " + AppContext.BaseDirectory);
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("TOPICKIT_SHARED");
        var candidate = !string.IsNullOrEmpty(env)
            ? env
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared"));
        if (!File.Exists(System.IO.Path.Combine(candidate, "README.md")))
        {
            throw new InvalidOperationException(
                $"The shared data folder was not found at '{candidate}'. Place shared/ beside the checkout or set TOPICKIT_SHARED.");
        }

        return candidate;
    }
}
