using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphDL.Summaries;

/// <summary>
/// The JSON settings every log file is written and read with: snake_case names, NaN and infinities as strings. Public so
/// that a reader handing the records on as JSON (the board to its page) writes them as the files do.
/// </summary>
public static class LogJson
{
    /// <summary>The serializer settings of events.jsonl, graph.json and profile.json.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter<NodeKind>(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes a whole file atomically: a temporary file beside it, then a rename, so a reader sees the old file or the new one, never half of one.</summary>
    internal static void WriteAtomically<T>(string path, T value)
    {
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(value, Options));
        File.Move(temporary, path, overwrite: true);
    }
}
