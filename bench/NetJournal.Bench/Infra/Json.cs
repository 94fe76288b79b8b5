using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetJournal.Bench.Infra;

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save<T>(string path, T value)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");
        Console.Error.WriteLine($"wrote {path}");
    }
}
