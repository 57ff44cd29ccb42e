using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace TopicKit.Embedding;

/// <summary>
/// Pulls a model into a <see cref="ModelStore"/>: every file is downloaded into the staging folder
/// <c>&lt;name&gt;.partial/</c> (each file first as <c>&lt;file&gt;.partial</c>, resumed with an HTTP Range request after an
/// interruption), hashed while streaming and checked against the manifest, then the whole folder is renamed into place.
/// </summary>
public sealed class ModelDownloader : IDisposable
{
    private const int ReadBufferSize = 81920;
    private readonly HttpClient http;
    private readonly bool ownsClient;

    /// <summary>Creates a downloader; pass <paramref name="httpClient"/> to share or customise the HTTP stack.</summary>
    public ModelDownloader(ModelStore store, ModelDownloadOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Options = options ?? new ModelDownloadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxAttempts, 1, nameof(options));
        if (httpClient is null)
        {
            // Identity encoding keeps byte offsets of Range requests equal to file offsets.
            http = new HttpClient(new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(30),
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("topickit", TopicKitVersion));
            ownsClient = true;
        }
        else
        {
            http = httpClient;
        }
    }

    /// <summary>The models folder pulled into.</summary>
    public ModelStore Store { get; }

    /// <summary>The settings in force.</summary>
    public ModelDownloadOptions Options { get; }

    private static string TopicKitVersion => typeof(ModelDownloader).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>The URL a file is fetched from, after applying <see cref="ModelDownloadOptions.BaseUrl"/>.</summary>
    public Uri ResolveUrl(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Options.BaseUrl is not { } baseUrl)
        {
            return file.Url;
        }

        var prefix = baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/');
        return new Uri(prefix + file.Url.PathAndQuery, UriKind.Absolute);
    }

    /// <summary>Pulls the known model <paramref name="name"/>.</summary>
    /// <exception cref="ModelResolutionException">When the name is unknown.</exception>
    /// <exception cref="ModelDownloadException">When a download fails or a file does not verify.</exception>
    public Task<ModelPullResult> PullAsync(string name, IProgress<ModelDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Store.Registry.TryGet(name, out var manifest)
            ? PullAsync(manifest, progress, cancellationToken)
            : throw new ModelResolutionException(Store.Registry.UnknownNameMessage(name));
    }

    /// <summary>
    /// Downloads, verifies and installs <paramref name="manifest"/>. Already-installed models are left alone unless
    /// <see cref="ModelDownloadOptions.Force"/>. On any failure or cancellation the final folder is untouched and the staging
    /// folder keeps what was downloaded, so the next pull resumes.
    /// </summary>
    /// <exception cref="ModelDownloadException">When a download fails or a file does not verify.</exception>
    /// <exception cref="OperationCanceledException">When cancelled; partial downloads are kept for resumption.</exception>
    public async Task<ModelPullResult> PullAsync(ModelManifest manifest, IProgress<ModelDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var final = Store.GetModelDirectory(manifest);
        if (!Options.Force && Store.IsInstalled(manifest))
        {
            var record = Store.ReadRecord(manifest)!;
            return new ModelPullResult(manifest.Name, final, AlreadyInstalled: true, record.Files);
        }

        if (!Options.Force && Directory.Exists(final))
        {
            throw new ModelDownloadException($"'{final}' exists but is not a complete TopicKit model (no {ModelStore.InstallRecordFileName}); delete it or pull with --force.");
        }

        Directory.CreateDirectory(Store.Root);
        using var pullLock = AcquireLock(manifest);
        var staging = Store.GetStagingDirectory(manifest);
        Directory.CreateDirectory(staging);
        var installed = new List<InstalledModelFile>();
        foreach (var file in manifest.Files)
        {
            installed.Add(await DownloadFileAsync(manifest, file, staging, progress, cancellationToken).ConfigureAwait(false));
        }

        installed.AddRange(SentenceTransformersLayout.Write(manifest, staging));
        var installRecord = new ModelInstallRecord(manifest.Name, DateTimeOffset.UtcNow, installed);
        await File.WriteAllTextAsync(Path.Combine(staging, ModelStore.InstallRecordFileName), JsonSerializer.Serialize(installRecord, ModelStore.RecordJson), cancellationToken).ConfigureAwait(false);
        MoveIntoPlace(staging, final);
        return new ModelPullResult(manifest.Name, final, AlreadyInstalled: false, installed);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }

    private FileStream AcquireLock(ModelManifest manifest)
    {
        var lockPath = Store.GetModelDirectory(manifest) + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new ModelDownloadException($"another pull of {manifest.Name} is running (lock file '{lockPath}'); wait for it to finish.", ex);
        }
    }

    private static void MoveIntoPlace(string staging, string final)
    {
        if (!Directory.Exists(final))
        {
            // Same parent folder, so this is a single rename: the model appears complete or not at all.
            Directory.Move(staging, final);
            return;
        }

        var old = final + ".old-" + Guid.NewGuid().ToString("N")[..8];
        Directory.Move(final, old);
        try
        {
            Directory.Move(staging, final);
        }
        catch
        {
            Directory.Move(old, final);
            throw;
        }

        Directory.Delete(old, recursive: true);
    }

    private async Task<InstalledModelFile> DownloadFileAsync(
        ModelManifest manifest, ModelFile file, string staging, IProgress<ModelDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var target = Path.Combine(staging, file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            // Completed by an earlier, interrupted pull: only renamed after it verified, but re-check in case it was touched.
            var check = ModelStore.CheckFile(staging, file.Path, file.Sha256, file.Size, cancellationToken);
            if (check.Status is ModelFileStatus.Ok or ModelFileStatus.Unpinned)
            {
                progress?.Report(new ModelDownloadProgress(manifest.Name, file.Path, check.ActualSize!.Value, check.ActualSize));
                return new InstalledModelFile(file.Path, check.ActualSize!.Value, check.ActualSha256!, Generated: false);
            }

            File.Delete(target);
        }

        var url = ResolveUrl(file);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DownloadAttemptAsync(manifest, file, url, target, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (TransientDownloadException ex)
            {
                if (attempt >= Options.MaxAttempts)
                {
                    var partial = target + ModelStore.PartialSuffix;
                    var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                    throw new ModelDownloadException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"download of {file.Path} for {manifest.Name} from {url} failed after {attempt} attempt(s): {ex.Message}. {have} byte(s) are kept in '{partial}'; run `topickit models pull {manifest.Name}` again to resume."),
                        ex.InnerException ?? ex)
                    {
                        IsResumable = true,
                    };
                }

                await Task.Delay(Options.RetryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<InstalledModelFile> DownloadAttemptAsync(
        ModelManifest manifest, ModelFile file, Uri url, string target, IProgress<ModelDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var partial = target + ModelStore.PartialSuffix;
        long existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (file.Size is { } size && existing > size)
        {
            File.Delete(partial);
            existing = 0;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (existing > 0)
        {
            // The kept bytes are part of the final hash; re-reading them also proves they are still readable.
            ModelFileHash.Append(hash, partial, existing, cancellationToken);
        }

        if (existing > 0 && existing == file.Size)
        {
            return Finish(manifest, file, partial, target, hash, existing);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(Options.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw new TransientDownloadException(Describe(ex), ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
            {
                // The kept part does not fit the server's file (e.g. it changed upstream): start over.
                File.Delete(partial);
                throw new TransientDownloadException("the server rejected the resume range; restarting the file");
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var message = $"GET {url} returned HTTP {status} {response.ReasonPhrase}";
                throw status is 408 or 429 || status >= 500
                    ? new TransientDownloadException(message)
                    : new ModelDownloadException($"download of {file.Path} for {manifest.Name} failed: {message}.");
            }

            var append = false;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange?.From != existing)
                {
                    File.Delete(partial);
                    throw new TransientDownloadException("the server answered the resume request with a different byte range; restarting the file");
                }

                append = true;
            }
            else if (existing > 0)
            {
                // The server ignored the Range header and sends the whole file: discard the kept part and the hash of it.
                existing = 0;
                hash.GetHashAndReset();
            }

            var total = file.Size ?? (response.Content.Headers.ContentLength is { } len ? existing + len : null);
            var done = existing;
            progress?.Report(new ModelDownloadProgress(manifest.Name, file.Path, done, total));
            var buffer = new byte[ReadBufferSize];
            try
            {
                using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
                using var output = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, ModelFileHash.BufferSize);
                while (true)
                {
                    // Buffered bytes can satisfy reads without observing the token, so check it explicitly.
                    cancellationToken.ThrowIfCancellationRequested();
                    stall.CancelAfter(Options.StallTimeout);
                    var n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    if (file.Size is { } limit && done + n > limit)
                    {
                        output.Close();
                        File.Delete(partial);
                        throw new ModelDownloadException(string.Create(CultureInfo.InvariantCulture,
                            $"download of {file.Path} for {manifest.Name} from {url} is corrupt: the server sent more than the expected {limit} bytes; the bad file was deleted."));
                    }

                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    hash.AppendData(buffer, 0, n);
                    done += n;
                    progress?.Report(new ModelDownloadProgress(manifest.Name, file.Path, done, total));
                }
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                throw new TransientDownloadException(string.Create(CultureInfo.InvariantCulture, $"the connection dropped after {done} byte(s) ({Describe(ex)})"), ex);
            }

            if (response.Content.Headers.ContentLength is { } expectedBody && done - existing < expectedBody)
            {
                throw new TransientDownloadException(string.Create(CultureInfo.InvariantCulture, $"the connection closed after {done} of {existing + expectedBody} byte(s)"));
            }

            return Finish(manifest, file, partial, target, hash, done);
        }
    }

    private static InstalledModelFile Finish(ModelManifest manifest, ModelFile file, string partial, string target, IncrementalHash hash, long size)
    {
        var actual = ModelFileHash.ToHex(hash.GetHashAndReset());
        if (file.Sha256 is { } expected && (actual != expected || size != file.Size))
        {
            File.Delete(partial);
            throw new ModelDownloadException(string.Create(CultureInfo.InvariantCulture,
                $"download of {file.Path} for {manifest.Name} is corrupt: expected sha256 {expected} ({file.Size} bytes) but got {actual} ({size} bytes); the bad file was deleted, pull again to retry."))
            {
                ExpectedSha256 = expected,
                ActualSha256 = actual,
            };
        }

        File.Move(partial, target, overwrite: true);
        return new InstalledModelFile(file.Path, size, actual, Generated: false);
    }

    private static bool IsTransient(Exception ex, CancellationToken userToken) => ex switch
    {
        OperationCanceledException => !userToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        _ => false,
    };

    private static string Describe(Exception ex) => ex is OperationCanceledException ? "no data received within the stall timeout" : ex.Message;

    private sealed class TransientDownloadException : Exception
    {
        public TransientDownloadException(string message)
            : base(message)
        {
        }

        public TransientDownloadException(string message, Exception inner)
            : base(message, inner)
        {
        }

        public TransientDownloadException()
        {
        }
    }
}
