using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// One or more notes from one client instance, numbered FirstNumber, FirstNumber+1, ...
/// The (Instance, number) pair is what the server deduplicates retries by. Base is the lowest number the
/// client has no final answer for yet: every note below it is settled, so the server need not wait for it.
/// Note bodies stay raw bytes so that the server can refuse invalid UTF-8 note by note.
/// </summary>
public sealed record AppendRequest(ulong Instance, ulong Base, ulong FirstNumber, string Name, IReadOnlyList<ReadOnlyMemory<byte>> Notes) : JournalMessage
{
    public override MessageType Type => MessageType.AppendRequest;

    /// <summary>
    /// Sent with the header flag <see cref="HeaderFlags.AcceptsHeld"/>: the client understands <see cref="NoteStatus.Held"/>.
    /// A server that does not know the flag answers ErrorReply UnknownMessage.
    /// </summary>
    public bool AcceptsHeld { get; init; }

    /// <summary>The header's flags for this request.</summary>
    public HeaderFlags Flags => AcceptsHeld ? HeaderFlags.AcceptsHeld : HeaderFlags.None;

    public static AppendRequest FromTexts(ulong instance, ulong firstNumber, string name, IEnumerable<string> texts) =>
        new(instance, firstNumber, firstNumber, name, texts.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray());

    /// <summary>Bytes on the wire for a request with this name and no notes yet.</summary>
    public static int OverheadFor(ulong firstNumber, string name) =>
        ProtocolConstants.HeaderSize + 8 + 2 * WireWriter.VarUIntSize(firstNumber) + WireWriter.StringSize(name) + 1;

    /// <summary>
    /// Writes one note as a request carries it (its length, then its bytes) and returns the bytes written
    /// (<see cref="SizeOfNote"/>); the notes follow <see cref="MessageCodec.EncodeAppendRequestHead"/>.
    /// </summary>
    public static int WriteNote(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteBytes(utf8);
        return w.Position;
    }

    /// <summary>Bytes one note adds to a request.</summary>
    public static int SizeOfNote(int utf8Length) => WireWriter.VarUIntSize((ulong)utf8Length) + utf8Length;
}
