using System.Globalization;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

// Reading a line back into a record.
public static partial class JournalLine
{
    /// <summary>Parses one line (without its newline). Null when it is not a whole, valid record; never throws.</summary>
    public static JournalRecord? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            return Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            // An "instance" of more than 16 hex digits.
            return null;
        }
    }

    private static JournalRecord? Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        ulong seq = 0, instance = 0, number = 0;
        long timeMs = 0;
        string? client = null, address = null, text = null;
        var origin = NoteOrigin.Native;
        int facility = -1, severity = -1;
        var hasTime = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.TokenType != JsonTokenType.PropertyName) return null;
            var name = reader.ValueSpan;
            if (!reader.Read()) return null;
            if (name.SequenceEqual(NoteJson.SeqName.EncodedUtf8Bytes)) seq = reader.GetUInt64();
            else if (name.SequenceEqual(NoteJson.TimeName.EncodedUtf8Bytes)) hasTime = NoteJson.TryParseTime(reader.GetString() ?? "", out timeMs);
            else if (name.SequenceEqual(NoteJson.ClientName.EncodedUtf8Bytes)) client = reader.GetString();
            else if (name.SequenceEqual(NoteJson.AddressName.EncodedUtf8Bytes)) address = reader.GetString();
            else if (name.SequenceEqual(NoteJson.TextName.EncodedUtf8Bytes)) text = reader.GetString();
            else if (name.SequenceEqual(NoteJson.OriginName.EncodedUtf8Bytes)) origin = NoteJson.ParseOrigin(reader.GetString());
            else if (name.SequenceEqual(NoteJson.FacilityName.EncodedUtf8Bytes)) facility = reader.GetInt32();
            else if (name.SequenceEqual(NoteJson.SeverityName.EncodedUtf8Bytes)) severity = reader.GetInt32();
            else if (name.SequenceEqual(InstanceName.EncodedUtf8Bytes)) instance = ulong.Parse(reader.GetString() ?? "", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            else if (name.SequenceEqual(NumName.EncodedUtf8Bytes)) number = reader.GetUInt64();
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
        if (seq == 0 || !hasTime || client is null || address is null || text is null) return null;
        return new JournalRecord(seq, timeMs, client, address, text, origin, NoteJson.Priority(facility, severity), instance, number);
    }
}
