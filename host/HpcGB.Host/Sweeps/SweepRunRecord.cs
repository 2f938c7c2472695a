using System.Security.Cryptography;
using System.Text.Json;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// <c>runs/&lt;index&gt;/sweep-run.json</c>, written last and atomically when a run has finished (completed or
/// failed): the normalised spec it ran, its <see cref="SweepRunResult"/> and the SHA-256 of every file it wrote. A
/// rerun skips a run whose record matches the spec it would run and whose files still hash the same; anything else
/// (no record: the run was cut short; another spec; a file changed or missing) runs again from scratch.
/// </summary>
internal static class SweepRunRecord
{
    public const string FileName = "sweep-run.json";

    public static void Write(string directory, string specJson, SweepRunResult result)
    {
        string path = Path.Combine(directory, FileName);
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("spec", specJson);
            writer.WritePropertyName("result");
            result.ToElement().WriteTo(writer);
            writer.WriteStartObject("files");
            foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                if (name is not (FileName or FileName + ".tmp"))
                {
                    writer.WriteString(name, Hash(file));
                }
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The recorded result when the run in <paramref name="directory"/> finished with this spec and its
    /// files are intact; null otherwise.</summary>
    public static SweepRunResult? ReadVerified(string directory, string specJson)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("spec").GetString() != specJson)
            {
                return null;
            }
            foreach (var file in root.GetProperty("files").EnumerateObject())
            {
                string filePath = Path.Combine(directory, file.Name);
                if (!File.Exists(filePath) || Hash(filePath) != file.Value.GetString())
                {
                    return null;
                }
            }
            return SweepRunResult.FromElement(root.GetProperty("result"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
