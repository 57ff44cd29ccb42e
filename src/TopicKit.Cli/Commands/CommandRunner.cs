using System.CommandLine;

namespace TopicKit.Cli.Commands;

/// <summary>
/// How every command runs its handler: off the invoking thread, with Ctrl+C turned into cancellation of the handler's
/// token, and any exception reported by <see cref="CliErrors.Fail"/> (one <c>topickit: error:</c> line, the exit code of
/// its kind). Handlers return their exit code and let exceptions escape.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="handler"/> under the shared policy.</summary>
    /// <param name="command">The command.</param>
    /// <param name="handler">Maps the parsed options to a request, runs it and renders the result; returns the exit code.</param>
    /// <param name="cancelled">What Ctrl+C leaves behind, said after "cancelled; " (default: nothing was written).</param>
    public static void SetHandler(this Command command, Func<ParseResult, CancellationToken, Task<int>> handler, string cancelled = "nothing was written")
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                // System.CommandLine delivers Ctrl+C/SIGTERM to the token only while the action's task is pending (with
                // CliApp's termination timeout); a handler that completes synchronously would be killed by the signal.
                return await Task.Run(() => handler(parseResult, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                return CliErrors.Fail(parseResult, exception, cancelled);
            }
        });
    }

    /// <summary>Sets a synchronous <paramref name="handler"/>; see the asynchronous overload.</summary>
    public static void SetHandler(this Command command, Func<ParseResult, CancellationToken, int> handler, string cancelled = "nothing was written") =>
        command.SetHandler((parseResult, cancellationToken) => Task.FromResult(handler(parseResult, cancellationToken)), cancelled);
}
