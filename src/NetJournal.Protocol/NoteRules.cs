using System.Text;

namespace NetJournal.Protocol;

/// <summary>What makes a note acceptable: UTF-8, one line, 1 to 4,096 bytes. Client and server check the same rules.</summary>
public static class NoteRules
{
    public static ErrorCode Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return ErrorCode.EmptyNote;
        if (utf8.Length > ProtocolConstants.MaxNoteBytes) return ErrorCode.NoteTooLong;
        if (!Utf8Text.IsValid(utf8)) return ErrorCode.InvalidUtf8;
        if (utf8.IndexOfAny((byte)'\r', (byte)'\n') >= 0) return ErrorCode.NotOneLine;
        return ErrorCode.None;
    }

    public static ErrorCode Check(string text)
    {
        if (text.Length == 0) return ErrorCode.EmptyNote;
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0) return ErrorCode.NotOneLine;
        int bytes;
        try { bytes = Utf8Text.Strict.GetByteCount(text); }
        catch (EncoderFallbackException) { return ErrorCode.InvalidUtf8; }
        return bytes > ProtocolConstants.MaxNoteBytes ? ErrorCode.NoteTooLong : ErrorCode.None;
    }

    public static ErrorCode CheckName(string name)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny('\r', '\n') >= 0) return ErrorCode.BadName;
        int bytes;
        try { bytes = Utf8Text.Strict.GetByteCount(name); }
        catch (EncoderFallbackException) { return ErrorCode.BadName; }
        return bytes > ProtocolConstants.MaxNameBytes ? ErrorCode.BadName : ErrorCode.None;
    }
}
