using System.Buffers;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// A HistoryPage as received: validated, kept as its bytes in a pooled buffer, and turned into notes only when they
/// are read. Pages read ahead then wait as plain bytes, not as thousands of objects the garbage collector must carry
/// into its older generations. <see cref="ReadNotes"/> gives the buffer back; a page is read once.
/// </summary>
internal sealed record ReceivedPage(uint RequestId, ulong NextAfterSeq, bool Complete, int NoteCount, byte[] Buffer, int NotesOffset, int Length) : JournalMessage
{
    public override MessageType Type => MessageType.HistoryPage;

    /// <summary>A copy of <paramref name="datagram"/>, which must be a page <paramref name="view"/> has validated.</summary>
    public static ReceivedPage Copy(ReadOnlySpan<byte> datagram, in HistoryPageView view)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        return new ReceivedPage(view.RequestId, view.NextAfterSeq, view.Complete, view.NoteCount, buffer, view.NotesOffset, datagram.Length);
    }

    /// <summary>Adds the page's notes to <paramref name="notes"/>, names and addresses through <paramref name="strings"/>, and returns the buffer to the pool.</summary>
    public void ReadNotes(List<Note> notes, Utf8StringCache strings)
    {
        var e = new HistoryPageView.NoteEnumerator(Buffer.AsSpan(NotesOffset, Length - NotesOffset), NoteCount);
        while (e.MoveNext()) notes.Add(e.Current.ToNote(strings));
        Release();
    }

    /// <summary>Gives the buffer back to the pool, for a page that will not be read.</summary>
    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);

    /// <summary>The page as the protocol's message, for callers of the public page API.</summary>
    public HistoryPage ToHistoryPage()
    {
        var notes = new List<Note>(NoteCount);
        ReadNotes(notes, new Utf8StringCache());
        return new HistoryPage(RequestId, NextAfterSeq, Complete, notes);
    }
}
