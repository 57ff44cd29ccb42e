namespace TopicKit.Tests.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread at once (Progress&lt;T&gt; posts later).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
