namespace TopicKit.Storage;

/// <summary>How <see cref="Workspace.Open"/> behaves.</summary>
/// <param name="CreateIfMissing">Create the folder and database when absent (default <see langword="true"/>); when
/// <see langword="false"/> a missing workspace is a <see cref="WorkspaceException"/>.</param>
/// <param name="LockTimeout">How long a write waits for another writer to finish before failing with
/// <see cref="WorkspaceLockedException"/> (default 10 seconds).</param>
public sealed record WorkspaceOptions(bool CreateIfMissing = true, TimeSpan? LockTimeout = null)
{
    /// <summary>The defaults.</summary>
    public static WorkspaceOptions Default { get; } = new();

    /// <summary>The lock timeout in effect.</summary>
    public TimeSpan EffectiveLockTimeout => LockTimeout ?? TimeSpan.FromSeconds(10);
}
