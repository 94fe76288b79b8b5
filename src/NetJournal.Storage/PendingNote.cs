using System.Buffers;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// A note waiting for the next group commit. Refusal is set when its content was already found wrong:
/// it still passes through the commit, in its number's turn, so the client's order is kept.
/// Base comes from the client's request: every number below it is settled at the client.
/// Tail, when set, is the note's line without seq and time (<see cref="JournalLine.WriteTail(in PendingNote, IBufferWriter{byte})"/>),
/// encoded before the commit so the commit thread only copies it. Text is null when the note's text lives only in
/// its tail (a native note, kept as the UTF-8 it came in); a note without a tail needs its text.
/// </summary>
public readonly record struct PendingNote(
    string Client, string Address, string? Text, NoteOrigin Origin = NoteOrigin.Native, byte? Priority = null,
    ulong Instance = 0, ulong Number = 0, ulong Base = 0, ErrorCode Refusal = ErrorCode.None, ReadOnlyMemory<byte> Tail = default);
