using System.Text;

namespace TopicKit.Corpus;

/// <summary>Parses one entry's text. Returns null for @comment, @preamble and @string (macros are recorded).</summary>
internal sealed class BibtexEntryParser(string text, long line, ReadContext context, Dictionary<string, string> macros)
{
    private int _i;

    public (string Type, string? Key, Dictionary<string, string> Fields)? Parse()
    {
        _i = 1; // after '@'
        var type = Identifier().ToLowerInvariant();
        SkipSpace();
        var close = text[_i] == '(' ? ')' : '}';
        _i++;
        if (type is "comment" or "preamble")
        {
            return null;
        }

        if (type == "string")
        {
            var (name, value) = Field(close) ?? throw Fail("an @string without 'name = value'", "write @string{name = \"value\"}");
            macros[name] = value;
            return null;
        }

        SkipSpace();
        var keyStart = _i;
        while (_i < text.Length && text[_i] != ',' && text[_i] != close && !char.IsWhiteSpace(text[_i]))
        {
            _i++;
        }

        var key = text[keyStart.._i];
        SkipSpace();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (_i < text.Length && text[_i] == ',')
        {
            _i++;
            while (Field(close) is { } field)
            {
                fields[field.Name] = field.Value;
            }
        }

        return (type, key.Length > 0 ? key : null, fields);
    }

    private (string Name, string Value)? Field(char close)
    {
        SkipSpace();
        while (_i < text.Length && text[_i] == ',')
        {
            _i++;
            SkipSpace();
        }

        if (_i >= text.Length || text[_i] == close)
        {
            return null;
        }

        var name = Identifier();
        if (name.Length == 0)
        {
            throw Fail($"unexpected '{text[_i]}' where a field name was expected", "write fields as name = {value}, separated by commas");
        }

        SkipSpace();
        if (_i >= text.Length || text[_i] != '=')
        {
            throw Fail($"field '{name}' has no '='", "write fields as name = {value}, separated by commas");
        }

        _i++;
        var value = new StringBuilder();
        while (true)
        {
            SkipSpace();
            value.Append(Value(name));
            SkipSpace();
            if (_i < text.Length && text[_i] == '#')
            {
                _i++;
                continue;
            }

            break;
        }

        SkipSpace();
        if (_i < text.Length && text[_i] != ',' && text[_i] != close)
        {
            throw Fail($"unexpected '{text[_i]}' after the value of field '{name}'", "separate fields with commas and quote or brace values");
        }

        return (name.ToLowerInvariant(), value.ToString());
    }

    private string Value(string field)
    {
        if (_i >= text.Length)
        {
            throw Fail($"field '{field}' has no value", "give the field a value");
        }

        var c = text[_i];
        if (c == '{')
        {
            var start = ++_i;
            var depth = 1;
            while (_i < text.Length)
            {
                if (text[_i] == '{')
                {
                    depth++;
                }
                else if (text[_i] == '}' && --depth == 0)
                {
                    return text[start.._i++];
                }

                _i++;
            }

            throw Fail($"the value of field '{field}' is missing a closing brace", "balance the braces");
        }

        if (c == '"')
        {
            var start = ++_i;
            var depth = 0;
            while (_i < text.Length)
            {
                var ch = text[_i];
                if (ch == '{')
                {
                    depth++;
                }
                else if (ch == '}')
                {
                    depth--;
                }
                else if (ch == '"' && depth == 0 && text[_i - 1] != '\\')
                {
                    return text[start.._i++];
                }

                _i++;
            }

            throw Fail($"the value of field '{field}' is missing a closing quote", "close the quote");
        }

        var word = Identifier();
        if (word.Length == 0)
        {
            throw Fail($"unexpected '{c}' at the value of field '{field}'", "put the value in braces: name = {value}");
        }

        if (char.IsAsciiDigit(word[0]))
        {
            return word;
        }

        return macros.TryGetValue(word, out var expansion)
            ? expansion
            : throw Fail($"undefined @string macro '{word}' in field '{field}'", "define it with @string or put the value in braces");
    }

    private string Identifier()
    {
        var start = _i;
        while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] is '_' or '-' or ':' or '.' or '+' or '/'))
        {
            _i++;
        }

        return text[start.._i];
    }

    private void SkipSpace()
    {
        while (_i < text.Length && char.IsWhiteSpace(text[_i]))
        {
            _i++;
        }
    }

    private CorpusFormatException Fail(string problem, string remedy)
    {
        var offset = text.AsSpan(0, Math.Min(_i, text.Length)).Count('\n');
        return context.Error(line + offset, problem, remedy);
    }
}
