using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>The bytes of a note inside a HistoryPage, pinned: seq, time, client, address, text, origin[, priority].</summary>
public sealed class NoteWireFormatTests
{
    public static TheoryData<Note, string> Golden() => new()
    {
        // The smallest note: seq 1, time 0, three empty strings, native origin.
        { new Note(1, 0, "", "", ""), "010000000000" },
        // Seq 300 is AC 02; the time is zigzag-encoded; "今天" is six bytes of UTF-8.
        { new Note(300, 1_764_076_871_123, "pc", "10.0.0.1:5000", "今天"), "AC02A6F7E6B2D7660270630D31302E302E302E313A3530303006E4BB8AE5A4A900" },
        // A syslog note: origin 2 with the priority bit (0x82), then PRI 13 (user.notice).
        { new Note(7, -1, "路由器", "10.0.0.1:514", "链路 up", NoteOrigin.Syslog, 13), "070109E8B7AFE794B1E599A80C31302E302E302E313A35313409E993BEE8B7AF207570820D" },
        // A plain-text note with quotes, a backslash, ESC and an emoji, all carried as they are.
        { new Note(2, 1, "10.0.0.2", "10.0.0.2:514", "say \"hi\" c:\\ \u001b 🙂", NoteOrigin.PlainText), "02020831302E302E302E320C31302E302E302E323A35313413736179202268692220633A5C201B20F09F998201" },
        // The extremes: the largest seq, the smallest time, the largest priority.
        { new Note(ulong.MaxValue, long.MinValue, "", "", "", NoteOrigin.Syslog, 191), "FFFFFFFFFFFFFFFFFF01FFFFFFFFFFFFFFFFFF0100000082BF" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void A_note_is_written_as_the_golden_bytes(Note note, string hex)
    {
        var destination = new byte[256];

        var written = NoteWireFormat.Write(note, destination);

        Assert.Equal(hex, Convert.ToHexString(destination, 0, written));
        Assert.Equal(written, NoteWireFormat.Size(note));
        Assert.Equal(written, MessageCodec.NoteSize(note));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void A_history_page_carries_its_notes_as_the_golden_bytes(Note note, string hex)
    {
        var datagram = MessageCodec.Encode(new HistoryPage(9, 10, true, [note, note]));

        Assert.Equal(hex + hex, Convert.ToHexString(datagram.AsSpan(MessageCodec.PageOverhead)));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void The_golden_bytes_read_back_as_the_note(Note note, string hex)
    {
        var notes = Convert.FromHexString(hex);
        var datagram = new byte[MessageCodec.PageOverhead + notes.Length];
        MessageCodec.WriteHistoryPageHeader(datagram, 1, note.Seq, complete: true, noteCount: 1);
        notes.CopyTo(datagram, MessageCodec.PageOverhead);

        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var message));
        Assert.Equal(note, Assert.Single(((HistoryPage)message!).Notes));
        Assert.True(HistoryPageView.TryRead(datagram, out var view));
        var e = view.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(note, e.Current.ToNote());
        Assert.Equal(note, e.Current.ToNote(new Utf8StringCache()));
    }

    [Fact]
    public void The_span_writer_refuses_a_note_that_does_not_fit_and_writes_the_same_bytes_as_the_note_writer()
    {
        var note = new Note(7, -1, "路由器", "10.0.0.1:514", "链路 up", NoteOrigin.Syslog, 13);
        var size = NoteWireFormat.Size(note);
        var destination = new byte[size];

        Assert.False(NoteWireFormat.TryWrite(destination.AsSpan(0, size - 1), note.Seq, note.TimeMs, "路由器"u8, "10.0.0.1:514"u8, "链路 up"u8,
            note.Origin, note.Priority, out _));
        Assert.True(NoteWireFormat.TryWrite(destination, note.Seq, note.TimeMs, "路由器"u8, "10.0.0.1:514"u8, "链路 up"u8,
            note.Origin, note.Priority, out var written));
        Assert.Equal(size, written);
        Assert.Equal("070109E8B7AFE794B1E599A80C31302E302E302E313A35313409E993BEE8B7AF207570820D", Convert.ToHexString(destination));
    }

    [Fact]
    public void Decoded_notes_from_the_same_writer_share_their_client_and_address_strings()
    {
        Note[] notes =
        [
            new(1, 1, "alice", "10.0.0.1:5000", "one"),
            new(2, 2, "bob", "10.0.0.2:5000", "two"),
            new(3, 3, "alice", "10.0.0.1:5000", "three"),
        ];

        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(MessageCodec.Encode(new HistoryPage(1, 3, true, notes)), out var message));
        var decoded = ((HistoryPage)message!).Notes;

        Assert.Equal(notes, decoded);
        Assert.Same(decoded[0].Client, decoded[2].Client);
        Assert.Same(decoded[0].Address, decoded[2].Address);
        Assert.NotSame(decoded[0].Text, decoded[2].Text);
    }
}
