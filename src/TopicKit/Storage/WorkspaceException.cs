namespace TopicKit.Storage;

/// <summary>A workspace cannot be opened or used: not a TopicKit database, a newer schema, a missing folder, ...</summary>
public class WorkspaceException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public WorkspaceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public WorkspaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public WorkspaceException()
        : base("The workspace cannot be used.")
    {
    }
}

/// <summary>Another writer (usually another <c>topickit</c> process) holds the workspace's writer lock longer than the lock timeout.</summary>
public sealed class WorkspaceLockedException : WorkspaceException
{
    /// <summary>Creates the exception for <paramref name="directory"/> held by process <paramref name="ownerPid"/>.</summary>
    public WorkspaceLockedException(string directory, int? ownerPid, TimeSpan waited)
        : base(FormatMessage(directory, ownerPid, waited))
    {
        Directory = directory;
        OwnerPid = ownerPid;
    }

    /// <summary>The workspace folder.</summary>
    public string Directory { get; }

    /// <summary>Process id of the lock holder as it recorded itself, or <see langword="null"/> when unknown.</summary>
    public int? OwnerPid { get; }

    private static string FormatMessage(string directory, int? ownerPid, TimeSpan waited)
    {
        var who = ownerPid switch
        {
            null => "another topickit process",
            var pid when pid == Environment.ProcessId => $"another Workspace instance of this topickit process (pid {pid})",
            var pid => $"another topickit process (pid {pid})",
        };
        return $"workspace {directory} is in use by {who}; waited {waited.TotalSeconds:0.#} s for its writer lock. "
            + "Wait for that process to finish or use another --workspace.";
    }
}

/// <summary>The workspace database is damaged: corrupted pages, a missing table, an impossible schema version.</summary>
public sealed class WorkspaceDamagedException : WorkspaceException
{
    /// <summary>Creates the exception for <paramref name="directory"/>; <paramref name="detail"/> says what is wrong.</summary>
    public WorkspaceDamagedException(string directory, string detail, Exception? innerException = null)
        : base($"workspace {directory} is damaged: {detail.TrimEnd('.')}. Restore {Workspace.DatabaseFileName} from a backup, "
            + "or start a new workspace and ingest the files again.", innerException ?? new InvalidDataException(detail))
    {
        Directory = directory;
    }

    /// <summary>The workspace folder.</summary>
    public string Directory { get; }
}

/// <summary>A command tried to write to a workspace whose folder or database file cannot be written.</summary>
public sealed class WorkspaceReadOnlyException : WorkspaceException
{
    /// <summary>Creates the exception for <paramref name="directory"/>.</summary>
    public WorkspaceReadOnlyException(string directory, Exception? innerException = null)
        : this(directory, "this command writes to it", innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="directory"/>; <paramref name="why"/> says why writing was needed.</summary>
    public WorkspaceReadOnlyException(string directory, string why, Exception? innerException = null)
        : base($"workspace {directory} is read-only (no write permission on the folder or on {Workspace.DatabaseFileName}) and {why}; "
            + "give write access, or copy the workspace folder somewhere writable and pass --workspace. Read-only commands such as "
            + "`docs`, `embeddings list` and `embeddings export` still work.", innerException ?? new UnauthorizedAccessException(why))
    {
        Directory = directory;
    }

    /// <summary>The workspace folder.</summary>
    public string Directory { get; }
}
