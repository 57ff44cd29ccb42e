using System.Text.Json;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// The on-disk form of a <see cref="TopicRepresentation"/>: <c>topics.json</c> (format name, version, options,
/// vocabulary, topics) plus float32 .npy arrays for the c-TF-IDF values, their columns, the idf and the centroids.
/// No executable serialisation, so loading a folder from elsewhere is safe.
/// </summary>
internal static class TopicRepresentationFiles
{
    public const string ManifestName = "topics.json";
    public const string FormatName = "topickit-topic-representation";
    public const int Version = 1;
    private const string ValuesFile = "ctfidf-values.npy";
    private const string ColumnsFile = "ctfidf-columns.npy";
    private const string IdfFile = "idf.npy";
    private const string CentroidsFile = "centroids.npy";

    // Columns travel as float32, which holds every integer below 2^24 exactly.
    private const int MaxVocabulary = 1 << 24;

    public static void Save(TopicRepresentation representation, string directory)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var m = representation.ClassTfidf;
        if (m.Columns > MaxVocabulary)
        {
            throw new InvalidOperationException($"a vocabulary of {m.Columns} terms is too large to save (at most {MaxVocabulary}); raise the minimum document frequency.");
        }

        Directory.CreateDirectory(directory);
        NpyFile.Write(Path.Combine(directory, ValuesFile), new Matrix((float[])m.Values.Clone(), m.NonZeros, 1));
        NpyFile.Write(Path.Combine(directory, ColumnsFile), new Matrix(Array.ConvertAll(m.ColumnIndices, c => (float)c), m.NonZeros, 1));
        NpyFile.Write(Path.Combine(directory, IdfFile), new Matrix(representation.Idf.ToArray(), m.Columns, 1));
        var topics = representation.Topics;
        var dimension = topics.Count > 0 && topics.All(t => t.Centroid is not null) ? topics[0].Centroid!.Length : 0;
        if (dimension > 0)
        {
            var centroids = new Matrix(topics.Count, dimension);
            for (var k = 0; k < topics.Count; k++)
            {
                topics[k].Centroid.AsSpan().CopyTo(centroids.Row(k));
            }

            NpyFile.Write(Path.Combine(directory, CentroidsFile), centroids);
        }
        else
        {
            File.Delete(Path.Combine(directory, CentroidsFile));
        }

        using var stream = File.Create(Path.Combine(directory, ManifestName));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("version", Version);
        WriteOptions(w, representation.Options);
        w.WriteNumber("vocabulary_size", m.Columns);
        w.WriteNumber("nonzeros", m.NonZeros);
        w.WriteNumber("centroid_dimension", dimension);
        w.WriteStartArray("vocabulary");
        foreach (var term in representation.Vocabulary)
        {
            w.WriteStringValue(term);
        }

        w.WriteEndArray();
        w.WriteStartArray("topics");
        for (var k = 0; k < topics.Count; k++)
        {
            var t = topics[k];
            w.WriteStartObject();
            w.WriteNumber("id", t.Id);
            w.WriteNumber("size", t.Size);
            w.WriteString("label", t.Label);
            w.WriteNumber("nonzeros", m.RowOffsets[k + 1] - m.RowOffsets[k]);
            w.WriteStartArray("keywords");
            foreach (var kw in t.Keywords)
            {
                w.WriteStartObject();
                w.WriteString("term", kw.Term);
                w.WriteNumber("score", kw.Score);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("representative_documents");
            foreach (var d in t.RepresentativeDocuments)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static TopicRepresentation Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"{directory}: not a saved topic representation (no {ManifestName}); save one with TopicRepresentation.Save.");
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != FormatName)
            {
                throw new InvalidDataException($"{manifestPath}: not a TopicKit topic representation (format is not '{FormatName}').");
            }

            var version = root.GetProperty("version").GetInt32();
            if (version > Version)
            {
                throw new InvalidDataException($"{manifestPath}: written by a newer TopicKit (format version {version}, this one reads up to {Version}); upgrade TopicKit.");
            }

            return Read(directory, root);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or FileNotFoundException or ArgumentException)
        {
            throw new InvalidDataException($"{manifestPath}: the saved topic representation is damaged ({ex.Message}); save it again.", ex);
        }
    }

    private static TopicRepresentation Read(string directory, JsonElement root)
    {
        var options = ReadOptions(root.GetProperty("options"));
        var vocabulary = root.GetProperty("vocabulary").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var size = root.GetProperty("vocabulary_size").GetInt32();
        var nonzeros = root.GetProperty("nonzeros").GetInt32();
        var dimension = root.GetProperty("centroid_dimension").GetInt32();
        var values = ReadColumn(directory, ValuesFile, nonzeros);
        var columnValues = ReadColumn(directory, ColumnsFile, nonzeros);
        var idf = ReadColumn(directory, IdfFile, size);
        Check(vocabulary.Length == size, $"{vocabulary.Length} vocabulary terms but vocabulary_size {size}");
        var topicElements = root.GetProperty("topics").EnumerateArray().ToArray();
        Matrix? centroids = null;
        if (dimension > 0)
        {
            centroids = NpyFile.Read(Path.Combine(directory, CentroidsFile));
            Check(centroids.Rows == topicElements.Length && centroids.Columns == dimension, $"{CentroidsFile} is {centroids.Rows} x {centroids.Columns}, expected {topicElements.Length} x {dimension}");
        }

        var offsets = new int[topicElements.Length + 1];
        var topics = new Topic[topicElements.Length];
        for (var k = 0; k < topics.Length; k++)
        {
            var e = topicElements[k];
            offsets[k + 1] = checked(offsets[k] + e.GetProperty("nonzeros").GetInt32());
            var keywords = e.GetProperty("keywords").EnumerateArray()
                .Select(kw => new TopicKeyword(kw.GetProperty("term").GetString()!, kw.GetProperty("score").GetDouble())).ToArray();
            var docs = e.GetProperty("representative_documents").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            topics[k] = new Topic(e.GetProperty("id").GetInt32(), e.GetProperty("size").GetInt32(), e.GetProperty("label").GetString()!, keywords, docs, centroids?.Row(k).ToArray());
        }

        Check(offsets[^1] == nonzeros, $"the topics hold {offsets[^1]} values but nonzeros is {nonzeros}");
        var columns = new int[nonzeros];
        for (var k = 0; k < topics.Length; k++)
        {
            for (var p = offsets[k]; p < offsets[k + 1]; p++)
            {
                var c = columnValues[p];
                Check(c >= 0 && c < size && c == MathF.Floor(c), $"{ColumnsFile} entry {p} is {c}, not a column below {size}");
                columns[p] = (int)c;
                Check(p == offsets[k] || columns[p] > columns[p - 1], $"{ColumnsFile}: columns of topic {topics[k].Id} are not increasing");
            }
        }

        return new TopicRepresentation(topics, vocabulary, new SparseMatrix(offsets, columns, values, size), idf, options);
    }

    private static float[] ReadColumn(string directory, string file, int length)
    {
        var m = NpyFile.Read(Path.Combine(directory, file));
        Check(m.Rows == length && m.Columns == 1, $"{file} is {m.Rows} x {m.Columns}, expected {length} x 1");
        return m.Data;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }

    private static void WriteOptions(Utf8JsonWriter w, ClassTfidfOptions o)
    {
        w.WriteStartObject("options");
        w.WriteNumber("ngram_min", o.NgramMin);
        w.WriteNumber("ngram_max", o.NgramMax);
        w.WriteNumber("min_document_frequency", o.MinDocumentFrequency);
        w.WriteString("stop_words_name", o.EffectiveStopWords.Name);
        w.WriteStartArray("stop_words");
        foreach (var s in o.EffectiveStopWords.Set.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteNumber("top_n", o.TopN);
        w.WriteBoolean("bm25_weighting", o.Bm25Weighting);
        w.WriteBoolean("reduce_frequent_words", o.ReduceFrequentWords);
        w.WriteStartArray("seed_words");
        foreach (var s in o.SeedWords ?? [])
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteNumber("seed_multiplier", o.SeedMultiplier);
        w.WriteNumber("representative_document_count", o.RepresentativeDocumentCount);
        w.WriteNumber("label_words", o.LabelWords);
        w.WriteEndObject();
    }

    private static ClassTfidfOptions ReadOptions(JsonElement e)
    {
        var name = e.GetProperty("stop_words_name").GetString()!;
        var words = e.GetProperty("stop_words").EnumerateArray().Select(s => s.GetString()!).ToArray();
        var stop = name switch
        {
            "english" when words.Length == StopWordList.English.Set.Count && words.All(StopWordList.English.Set.Contains) => StopWordList.English,
            "none" when words.Length == 0 => StopWordList.None,
            _ => StopWordList.FromWords(words, name),
        };
        var seeds = e.GetProperty("seed_words").EnumerateArray().Select(s => s.GetString()!).ToArray();
        var options = new ClassTfidfOptions(
            e.GetProperty("ngram_min").GetInt32(),
            e.GetProperty("ngram_max").GetInt32(),
            e.GetProperty("min_document_frequency").GetInt32(),
            stop,
            e.GetProperty("top_n").GetInt32(),
            e.GetProperty("bm25_weighting").GetBoolean(),
            e.GetProperty("reduce_frequent_words").GetBoolean(),
            seeds.Length == 0 ? null : seeds,
            e.GetProperty("seed_multiplier").GetDouble(),
            e.GetProperty("representative_document_count").GetInt32(),
            e.GetProperty("label_words").GetInt32());
        options.Validate();
        return options;
    }
}
