using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TopicKit.Topics;

/// <summary>
/// A linkage tree of the topics (outlier class left out), as BERTopic's <c>hierarchical_topics</c>: Ward linkage on
/// 1 - cosine similarity of the c-TF-IDF rows or the centroids. Exports to JSON and Newick for dendrograms.
/// </summary>
public sealed class TopicHierarchy
{
    internal TopicHierarchy(IReadOnlyList<int> topicIds, IReadOnlyList<string> labels, IReadOnlyList<LinkageStep> merges)
    {
        TopicIds = topicIds;
        Labels = labels;
        Merges = merges;
    }

    /// <summary>Topic id of each leaf (leaf i is <c>TopicIds[i]</c>).</summary>
    public IReadOnlyList<int> TopicIds { get; }

    /// <summary>Topic label of each leaf.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The merges in scipy's linkage convention.</summary>
    public IReadOnlyList<LinkageStep> Merges { get; }

    /// <summary>Builds the hierarchy of <paramref name="representation"/>.</summary>
    /// <param name="representation">The topics.</param>
    /// <param name="source">c-TF-IDF rows (default) or centroids.</param>
    /// <param name="method">Linkage (default Ward, BERTopic's).</param>
    public static TopicHierarchy Build(TopicRepresentation representation, TopicVectorSource source = TopicVectorSource.ClassTfidf, LinkageMethod method = LinkageMethod.Ward)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var topics = representation.Topics.Where(t => t.Id != -1).ToArray();
        var merges = Agglomerative.Fit(Agglomerative.CosineDistances(TopicVectors.Of(representation, source)), method);
        return new TopicHierarchy(topics.Select(t => t.Id).ToArray(), topics.Select(t => t.Label).ToArray(), merges);
    }

    /// <summary>Newick text: leaves named by topic id, branch lengths = height differences; one line ending in <c>;</c>.</summary>
    public string ToNewick()
    {
        var n = TopicIds.Count;
        if (n == 0)
        {
            return ";";
        }

        var builder = new StringBuilder();
        Write(n == 1 ? 0 : n + Merges.Count - 1, Height(n == 1 ? 0 : n + Merges.Count - 1), builder);
        return builder.Append(';').ToString();

        void Write(int node, double parentHeight, StringBuilder sb)
        {
            var height = Height(node);
            if (node >= n)
            {
                var step = Merges[node - n];
                sb.Append('(');
                Write(step.Left, height, sb);
                sb.Append(',');
                Write(step.Right, height, sb);
                sb.Append(')');
            }
            else
            {
                sb.Append(TopicIds[node].ToString(CultureInfo.InvariantCulture));
            }

            if (node != n + Merges.Count - 1 || n == 1)
            {
                sb.Append(':').Append((parentHeight - height).ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// JSON: <c>{"leaves": [{"topic", "label"}], "merges": [{"id", "left", "right", "distance", "size", "topics"}],
    /// "tree": nested {"topic"} or {"id", "distance", "children"}}</c>; node ids follow scipy.
    /// </summary>
    public string ToJson()
    {
        var n = TopicIds.Count;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("leaves");
            for (var i = 0; i < n; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("topic", TopicIds[i]);
                w.WriteString("label", Labels[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("merges");
            for (var s = 0; s < Merges.Count; s++)
            {
                var m = Merges[s];
                w.WriteStartObject();
                w.WriteNumber("id", n + s);
                w.WriteNumber("left", m.Left);
                w.WriteNumber("right", m.Right);
                w.WriteNumber("distance", m.Distance);
                w.WriteNumber("size", m.Size);
                w.WriteStartArray("topics");
                foreach (var t in LeavesUnder(n + s).Order())
                {
                    w.WriteNumberValue(t);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (n > 0)
            {
                w.WritePropertyName("tree");
                WriteNode(w, n + Merges.Count - 1);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());

        void WriteNode(Utf8JsonWriter w, int node)
        {
            w.WriteStartObject();
            if (node < n)
            {
                w.WriteNumber("topic", TopicIds[node]);
            }
            else
            {
                var m = Merges[node - n];
                w.WriteNumber("id", node);
                w.WriteNumber("distance", m.Distance);
                w.WriteStartArray("children");
                WriteNode(w, m.Left);
                WriteNode(w, m.Right);
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }
    }

    /// <summary>The topic ids under a node.</summary>
    public IEnumerable<int> LeavesUnder(int node)
    {
        var n = TopicIds.Count;
        if (node < n)
        {
            yield return TopicIds[node];
            yield break;
        }

        var m = Merges[node - n];
        foreach (var t in LeavesUnder(m.Left).Concat(LeavesUnder(m.Right)))
        {
            yield return t;
        }
    }

    private double Height(int node) => node < TopicIds.Count ? 0 : Merges[node - TopicIds.Count].Distance;
}
