using System.Text;
using System.Text.Json;

namespace HpcGB.Engine.Spec;

/// <summary>
/// Turns a JSON syntax error of System.Text.Json into a <see cref="SpecException"/> a person can act on: the path of
/// the field being read when the error struck (<c>$.regularization.delta</c>, not <c>$</c>), the line and byte, and a
/// sentence in the spec's terms instead of the reader's internals ("isFinalBlock", "Change the reader options").
/// The path is found by reading the text again with a reader that tracks where it is.
/// </summary>
internal static class JsonSyntaxError
{
    public static SpecException Describe(ReadOnlySpan<byte> utf8, JsonException exception, JsonReaderOptions options)
    {
        var (path, pending, offset, outermost) = Locate(utf8, options);
        string reason = Reason(exception.Message, utf8, offset, out bool atValue);
        if (exception.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            path = outermost; // the field that nests too deeply, not a path 64 levels long
        }
        string where = exception.LineNumber is long line && exception.BytePositionInLine is long position
            ? $" at line {line + 1}, byte {position + 1}"
            : "";
        return new SpecException(atValue ? pending : path, $"malformed JSON{where}: {reason}");
    }

    /// <summary>The path of the innermost container, the path of the value the reader was about to read, the byte
    /// offset where it stopped, and the path of the top-level field it was in.</summary>
    private static (string Container, string Pending, long Offset, string Outermost) Locate(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(utf8, options);
        var frames = new Stack<Frame>();
        string path = "$";
        try
        {
            while (reader.Read())
            {
                var top = frames.Count > 0 ? frames.Peek() : null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        top!.Property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        string child = top is null ? "$" : top.Child(top.Path);
                        top?.Consumed();
                        frames.Push(new Frame(child, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    default:
                        top?.Consumed();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Expected: the reader stops where the text breaks.
        }
        if (frames.Count == 0)
        {
            return (path, path, reader.BytesConsumed, path);
        }
        var innermost = frames.Peek();
        string outermost = frames.Count >= 2 ? frames.ElementAt(frames.Count - 2).Path : innermost.Path;
        return (innermost.Path, innermost.Child(innermost.Path), reader.BytesConsumed, outermost);
    }

    /// <summary>A sentence for the reader's message; <paramref name="atValue"/> when it is about the value being
    /// read (reported at its path) rather than the container's punctuation.</summary>
    private static string Reason(string message, ReadOnlySpan<byte> utf8, long offset, out bool atValue)
    {
        atValue = false;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut].TrimEnd();
        }
        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "the text is empty; a spec is a JSON object such as {\"dimension\": 2, \"particles\": {…}}";
        }
        if (message.Contains("trailing comma", StringComparison.Ordinal))
        {
            return "a comma after the last entry (JSON allows none there)";
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return "nested too deeply (at most 64 levels of objects and arrays)";
        }
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal)
            || message.Contains("reached end of data", StringComparison.Ordinal))
        {
            return "the text ends before every object, array and string is closed";
        }
        int from = (int)Math.Min(offset, utf8.Length);
        string rest = Encoding.UTF8.GetString(utf8.Slice(from, Math.Min(16, utf8.Length - from))).TrimStart(' ', '\t', '\r', '\n', ',', ':');
        if (message.Contains("omments", StringComparison.Ordinal) || rest.StartsWith("//", StringComparison.Ordinal) || rest.StartsWith("/*", StringComparison.Ordinal))
        {
            return "comments are not allowed in JSON";
        }
        foreach (string literal in new[] { "NaN", "-Infinity", "Infinity", "+Infinity", "-NaN" })
        {
            if (rest.StartsWith(literal, StringComparison.Ordinal))
            {
                atValue = true;
                return $"{literal} is not a JSON number; write a finite number";
            }
        }
        if (message.Contains("is an invalid start of a value", StringComparison.Ordinal))
        {
            atValue = true;
            return $"expected a value (a number, string, true, false, null, an object or an array), found {Quote(rest)}";
        }
        if (message.Contains("is invalid after a value", StringComparison.Ordinal))
        {
            return $"expected ',' or the closing bracket after a value, found {Quote(rest)}";
        }
        if (message.Contains("is invalid after a single JSON value", StringComparison.Ordinal))
        {
            return $"text after the end of the JSON object: {Quote(rest)}";
        }
        if (message.Contains("within a JSON string", StringComparison.Ordinal) || message.Contains("escap", StringComparison.Ordinal))
        {
            atValue = true;
            return "a string with an invalid character or escape (control characters must be written as \\n, \\t or \\u00XX)";
        }
        if (message.Contains("is an invalid JSON literal", StringComparison.Ordinal) || message.Contains("literal", StringComparison.Ordinal))
        {
            atValue = true;
            return $"expected true, false or null, found {Quote(rest)}";
        }
        if (message.Contains("number", StringComparison.OrdinalIgnoreCase))
        {
            atValue = true;
            return $"not a valid JSON number: {Quote(rest)}";
        }
        // Anything else: the reader's own sentence, without its advice on reader options.
        return message.Replace(" Change the reader options.", "", StringComparison.Ordinal);
    }

    private static string Quote(string text)
    {
        string first = text.Split('\n')[0];
        return first.Length == 0 ? "the end of the text" : $"'{(first.Length > 12 ? first[..12] + "…" : first)}'";
    }

    private sealed class Frame(string path, bool isArray)
    {
        private int _count;

        public string Path { get; } = path;

        public string? Property { get; set; }

        /// <summary>The path of the value read next in this container.</summary>
        public string Child(string parent) => isArray ? JsonPath.Index(parent, _count) : Property is { } name ? JsonPath.Child(parent, name) : parent;

        public void Consumed()
        {
            if (isArray)
            {
                _count++;
            }
            else
            {
                Property = null;
            }
        }
    }
}
