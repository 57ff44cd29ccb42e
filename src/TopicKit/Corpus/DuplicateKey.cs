using System.Security.Cryptography;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>Key identifying exact duplicates: equal keys mean equal title and abstract after case and whitespace folding.</summary>
internal static class DuplicateKey
{
    /// <summary>
    /// Lower-case hex SHA-256 (first 128 bits, 32 characters) of the folded title and folded abstract
    /// (<see cref="TextNormalizer.FoldForKey"/>), separated by a unit separator so that text cannot move between
    /// the two fields. A missing title folds to the empty string.
    /// </summary>
    public static string Compute(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Compute(document.Title, document.Abstract);
    }

    /// <summary>The key of a title and abstract pair (see <see cref="Compute(Document)"/>).</summary>
    public static string Compute(string? title, string? abstractText)
    {
        var text = TextNormalizer.FoldForKey(title) + "\u001F" + TextNormalizer.FoldForKey(abstractText);
        return HexHash(text, 16);
    }

    internal static string HexHash(string text, int bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..bytes]);
    }
}
