using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace TopicKit.Corpus;

/// <summary>
/// Streams the lines of a UTF-8 file asynchronously, with the checks every reader needs: strict UTF-8 (the error
/// names the line), NUL bytes (binary files), UTF-16 byte-order marks, and a cap on line length so a single huge
/// line cannot exhaust memory. Lines end at <c>\n</c> or <c>\r\n</c>; a lone <c>\r</c> stays in the line and is
/// later folded as whitespace. A UTF-8 byte-order mark is skipped.
/// </summary>
internal sealed class LineReader : IAsyncDisposable, IDisposable
{
    private const int ByteBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly string _path;
    private readonly int _maxLineChars;
    private readonly byte[] _bytes;
    private readonly char[] _chars;
    private readonly StringBuilder _pending = new();
    private int _byteCount;
    private int _charPos;
    private int _charLen;
    private long _bytesConsumed;
    private bool _eof;
    private bool _started;
    private bool _released;

    public LineReader(string path, int maxLineChars)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan), path, maxLineChars)
    {
    }

    /// <summary>Reads <paramref name="stream"/> (e.g. standard input), naming it <paramref name="name"/> in errors; the
    /// reader owns and disposes the stream.</summary>
    public LineReader(Stream stream, string name, int maxLineChars)
    {
        _path = name;
        _maxLineChars = maxLineChars;
        _stream = stream;
        _bytes = ArrayPool<byte>.Shared.Rent(ByteBufferSize);
        _chars = ArrayPool<char>.Shared.Rent(ByteBufferSize);
    }

    /// <summary>1-based number of the line most recently returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The file path used in error messages.</summary>
    public string Path => _path;

    /// <summary>The next line without its terminator, or <see langword="null"/> at end of file.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _chars.AsSpan(_charPos, _charLen - _charPos);
            var nl = span.IndexOf('\n');
            if (nl >= 0)
            {
                var segment = span[..nl];
                _charPos += nl + 1;
                CheckLength(_pending.Length + segment.Length);
                LineNumber++;
                if (_pending.Length == 0)
                {
                    // CRLF: trim before allocating, so each line is allocated once.
                    return (segment.Length > 0 && segment[^1] == '\r' ? segment[..^1] : segment).ToString();
                }

                var line = _pending.Append(segment).ToString();
                _pending.Clear();
                return line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
            }

            if (span.Length > 0)
            {
                CheckLength(_pending.Length + span.Length);
                _pending.Append(span);
                _charPos = _charLen;
            }

            if (_eof)
            {
                if (_pending.Length == 0)
                {
                    return null;
                }

                LineNumber++;
                var last = _pending.ToString();
                _pending.Clear();
                return last.Length > 0 && last[^1] == '\r' ? last[..^1] : last;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void CheckLength(int length)
    {
        if (length > _maxLineChars)
        {
            throw new CorpusFormatException(_path, LineNumber + 1, null,
                string.Create(CultureInfo.InvariantCulture, $"line is longer than the limit of {_maxLineChars:N0} characters"),
                "this does not look like a corpus of paper records; split the file into one record per line or raise CorpusReadOptions.MaxRecordChars");
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var read = await _stream.ReadAsync(_bytes.AsMemory(_byteCount, ByteBufferSize - _byteCount), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _byteCount += read;
        var input = _bytes.AsSpan(0, _byteCount);
        if (!_started)
        {
            if (input.Length < 3 && !_eof)
            {
                _charPos = _charLen = 0;
                return;
            }

            _started = true;
            if (input.Length >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF)
            {
                _bytesConsumed += 3;
                Buffer.BlockCopy(_bytes, 3, _bytes, 0, _byteCount - 3);
                _byteCount -= 3;
                input = _bytes.AsSpan(0, _byteCount);
            }
            else if (input.Length >= 2 && ((input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF)))
            {
                throw new CorpusFormatException(_path, 1, null, "the file is UTF-16 encoded (byte-order mark found)",
                    "save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
            }
        }

        var status = Utf8.ToUtf16(input, _chars, out var bytesRead, out var charsWritten,
            replaceInvalidSequences: false, isFinalBlock: _eof);
        var decoded = _chars.AsSpan(0, charsWritten);
        var nul = decoded.IndexOf('\0');
        if (nul >= 0)
        {
            throw new CorpusFormatException(_path, ErrorLine(decoded[..nul]), null,
                "the file contains NUL bytes, so it is binary, not text",
                "pass a UTF-8 text file (CSV, TSV, JSON, BibTeX or a saved listing page)");
        }

        if (status == System.Buffers.OperationStatus.InvalidData)
        {
            var bad = input[bytesRead];
            throw new CorpusFormatException(_path, ErrorLine(decoded), null,
                string.Create(CultureInfo.InvariantCulture,
                    $"invalid UTF-8 (byte 0x{bad:X2} at byte offset {_bytesConsumed + bytesRead:N0})"),
                "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 in > out)");
        }

        _bytesConsumed += bytesRead;
        var left = _byteCount - bytesRead;
        if (left > 0)
        {
            Buffer.BlockCopy(_bytes, bytesRead, _bytes, 0, left);
        }

        _byteCount = left;
        _charPos = 0;
        _charLen = charsWritten;
        if (_eof && left > 0)
        {
            throw new CorpusFormatException(_path, ErrorLine(decoded), null,
                "invalid UTF-8 (the file ends inside a multi-byte character)",
                "re-save the file as UTF-8");
        }
    }

    // Line of a problem found after the already-decoded text `before` of the current chunk.
    private long ErrorLine(ReadOnlySpan<char> before)
    {
        return LineNumber + 1 + before.Count('\n');
    }

    public void Dispose()
    {
        _stream.Dispose();
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        Release();
    }

    private void Release()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
    }
}
