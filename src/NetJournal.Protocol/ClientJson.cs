using System.Text.Json;

namespace NetJournal.Protocol;

/// <summary>
/// A client of the clients list as a JSON object: <c>{"name":"…","lastAddress":"…","notes":N,"first":"…","last":"…"}</c>,
/// times as <see cref="NoteJson.FormatTime(long)"/> writes them. The one owner of this form: `clients --format json`
/// and the web view's /api/clients both write it here.
/// </summary>
public static class ClientJson
{
    /// <summary>Writes <paramref name="client"/> as one object.</summary>
    public static void Write(Utf8JsonWriter json, ClientSummary client)
    {
        json.WriteStartObject();
        json.WriteString("name", client.Name);
        json.WriteString("lastAddress", client.LastAddress);
        json.WriteNumber("notes", client.NoteCount);
        json.WriteString("first", NoteJson.FormatTime(client.FirstMs));
        json.WriteString("last", NoteJson.FormatTime(client.LastMs));
        json.WriteEndObject();
    }
}
