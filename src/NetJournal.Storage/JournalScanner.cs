using System.Buffers;

namespace NetJournal.Storage;

/// <summary>
/// Reads a journal file from the start, line by line, and decides what is valid: a run of bad lines at the
/// end (a crash mid-write: half a line, garbage, zeros) is the torn tail to cut; a bad line followed by good ones is corruption to report.
/// A last line without its newline that is a whole, valid record (a file edited by hand or appended by another tool)
/// is a record, not a torn tail: <see cref="Result.MissingNewline"/> tells the caller to add the newline.
/// </summary>
public static class JournalScanner
{
    /// <summary>
    /// ValidLength: bytes up to the end of the last valid record (its newline included, or the end of the file when
    /// MissingNewline). Corrupt: bad lines with a valid record after them. TornLines: bad lines at the end, and an
    /// unterminated rest that is not a valid record.
    /// </summary>
    public sealed record Result(long ValidLength, IReadOnlyList<CorruptLine> Corrupt, long TornLines, bool MissingNewline = false);

    public static Result Scan(JournalFile file, Action<JournalRecord, long, int> onRecord)
    {
        var corrupt = new List<CorruptLine>();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long fileLength = file.Length, bufferStart = 0, validLength = 0, lineNumber = 0;
            int filled = 0, consumed = 0;
            ulong lastSeq = 0;
            var pendingBad = new List<CorruptLine>();
            while (true)
            {
                var newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    // Move the partial line to the front and read more; a line longer than the buffer grows it.
                    if (consumed > 0)
                    {
                        Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                        bufferStart += consumed;
                        filled -= consumed;
                        consumed = 0;
                    }
                    if (filled == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    var read = bufferStart + filled < fileLength ? file.Read(bufferStart + filled, buffer.AsSpan(filled)) : 0;
                    if (read == 0) break;
                    filled += read;
                    continue;
                }
                lineNumber++;
                var offset = bufferStart + consumed;
                var line = buffer.AsSpan(consumed, newline);
                var record = JournalLine.TryParse(line);
                if (record is not null && record.Seq > lastSeq)
                {
                    corrupt.AddRange(pendingBad);
                    pendingBad.Clear();
                    onRecord(record, offset, newline + 1);
                    lastSeq = record.Seq;
                    validLength = offset + newline + 1;
                }
                else
                {
                    pendingBad.Add(new CorruptLine(lineNumber, offset, newline + 1));
                }
                consumed += newline + 1;
            }
            // The unterminated rest is a record when it parses whole (its index entry counts the newline to be added);
            // otherwise it joins the bad lines with no good line after them, which are the torn tail.
            var rest = buffer.AsSpan(consumed, filled - consumed);
            if (!rest.IsEmpty && JournalLine.TryParse(rest) is { } last && last.Seq > lastSeq)
            {
                corrupt.AddRange(pendingBad);
                pendingBad.Clear();
                onRecord(last, bufferStart + consumed, rest.Length + 1);
                return new Result(bufferStart + filled, corrupt, 0, MissingNewline: true);
            }
            var tornLines = pendingBad.Count + (bufferStart + filled > validLength && filled - consumed > 0 ? 1 : 0);
            return new Result(validLength, corrupt, tornLines);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
