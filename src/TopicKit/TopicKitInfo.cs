namespace TopicKit;

/// <summary>Library-wide facts such as the version string shown by the CLI.</summary>
public static class TopicKitInfo
{
    /// <summary>The informational version of the TopicKit library.</summary>
    public static string Version { get; } =
        typeof(TopicKitInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
