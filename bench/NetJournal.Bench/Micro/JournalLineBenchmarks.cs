using System.Buffers;
using BenchmarkDotNet.Attributes;
using NetJournal.Storage;

namespace NetJournal.Bench.Micro;

/// <summary>The journal's line format: one record written, one line parsed.</summary>
[MemoryDiagnoser]
public class JournalLineBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private JournalRecord _record = null!;
    private byte[] _line = null!;

    [GlobalSetup]
    public void Setup()
    {
        _record = MicroData.Record(0);
        JournalLine.Write(_record, _output);
        _line = _output.WrittenSpan[..^1].ToArray();
        _output.ResetWrittenCount();
    }

    [Benchmark]
    public int Write()
    {
        _output.ResetWrittenCount();
        JournalLine.Write(_record, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public JournalRecord? TryParse() => JournalLine.TryParse(_line);
}
