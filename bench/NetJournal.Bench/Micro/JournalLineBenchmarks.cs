using System.Buffers;
using BenchmarkDotNet.Attributes;
using NetJournal.Storage;

namespace NetJournal.Bench.Micro;

/// <summary>The journal's line format: one record written, one line parsed, one line turned into a history page's note.</summary>
[MemoryDiagnoser]
public class JournalLineBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private JournalRecord _record = null!;
    private JournalRecord[] _newMillisecond = null!;
    private int _next;
    private byte[] _line = null!;

    [GlobalSetup]
    public void Setup()
    {
        _record = MicroData.Record(0);
        JournalLine.Write(_record, _output);
        _line = _output.WrittenSpan[..^1].ToArray();
        _output.ResetWrittenCount();
        // Alternating times defeat the writer's cache of the last formatted millisecond.
        _newMillisecond = [.. Enumerable.Range(0, 2).Select(i => _record with { TimeMs = _record.TimeMs + i })];
    }

    [Benchmark]
    public int Write()
    {
        _output.ResetWrittenCount();
        JournalLine.Write(_record, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteNewMillisecond()
    {
        _output.ResetWrittenCount();
        JournalLine.Write(_newMillisecond[_next++ & 1], _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public JournalRecord? TryParse() => JournalLine.TryParse(_line);

    /// <summary>What a history page does per line (WireNoteWriter), against TryParse plus encoding a Note.</summary>
    [Benchmark]
    public int ToWireNote() => WireNoteWriter.TryWrite(_line, _wire, out var written) ? written : -1;

    private readonly byte[] _wire = new byte[4096];
}
