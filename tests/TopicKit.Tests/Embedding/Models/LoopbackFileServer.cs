using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TopicKit.Tests.Embedding.Models;

/// <summary>A request as the test server saw it.</summary>
internal sealed record RecordedRequest(string Path, string? Range);

/// <summary>How the test server answers one path.</summary>
internal sealed class Route
{
    public required byte[] Content { get; init; }

    /// <summary>Answer every request with 200 and the whole body, as servers without Range support do.</summary>
    public bool IgnoreRange { get; init; }

    /// <summary>When set, the first <see cref="DropTimes"/> responses announce the full length but the connection closes after this many body bytes.</summary>
    public int? DropAfter { get; init; }

    public int DropTimes { get; init; } = 1;

    internal int Drops;
}

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 with a free port: GET with optional <c>Range: bytes=N-</c>, one request per
/// connection. It records every request and stops by itself after <c>lifetime</c> even if a test forgets to dispose it.
/// </summary>
internal sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentDictionary<string, Route> routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly Task loop;

    public LoopbackFileServer(TimeSpan? lifetime = null)
    {
        stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromSeconds(60));
        listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public void Serve(string path, Route route) => routes[path] = route;

    public void Serve(string path, byte[] content) => Serve(path, new Route { Content = content });

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(() => HandleAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                var stream = client.GetStream();
                var (path, range) = await ReadRequestAsync(stream, timeout.Token);
                requests.Enqueue(new RecordedRequest(path, range));
                await RespondAsync(client, stream, path, range, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private static async Task<(string Path, string? Range)> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        // Byte-at-a-time keeps the reader from consuming past the header; headers are tiny.
        while (header.Length < 16384 && !header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("client closed before sending a full request");
            }

            header.Append((char)one[0]);
        }

        var lines = header.ToString().Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?["Range:".Length..].Trim();
        return (path, range);
    }

    private async Task RespondAsync(TcpClient client, NetworkStream stream, string path, string? range, CancellationToken ct)
    {
        if (!routes.TryGetValue(path, out var route))
        {
            await WriteHeadAsync(stream, "404 Not Found", 0, null, ct);
            return;
        }

        var content = route.Content;
        long start = 0;
        string status = "200 OK";
        string? contentRange = null;
        if (range is not null && !route.IgnoreRange)
        {
            start = long.Parse(range["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", 0, $"bytes */{content.Length}", ct);
                return;
            }

            status = "206 Partial Content";
            contentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        var body = content.AsMemory((int)start);
        await WriteHeadAsync(stream, status, body.Length, contentRange, ct);
        var limit = body.Length;
        if (route.DropAfter is { } drop && Interlocked.Increment(ref route.Drops) <= route.DropTimes)
        {
            limit = Math.Min(drop, body.Length);
        }

        for (var offset = 0; offset < limit; offset += 16384)
        {
            await stream.WriteAsync(body[offset..Math.Min(limit, offset + 16384)], ct);
            await stream.FlushAsync(ct);
        }

        client.Client.Shutdown(SocketShutdown.Send);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, string status, long length, string? contentRange, CancellationToken ct)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n")
            .Append("Content-Type: application/octet-stream\r\nConnection: close\r\nAccept-Ranges: bytes\r\n");
        if (contentRange is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Range: {contentRange}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.FlushAsync(ct);
    }
}
