using BenchmarkDotNet.Attributes;
using NetJournal.Protocol;

namespace NetJournal.Bench.Micro;

/// <summary>MessageCodec on an AppendRequest of 10 notes of 100 bytes.</summary>
[MemoryDiagnoser]
public class AppendRequestCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private AppendRequest _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.AppendRequest(10);
        _encoded = MessageCodec.Encode(_message);
    }

    [Benchmark]
    public int Encode() => MessageCodec.Encode(_message, _buffer);

    [Benchmark]
    public JournalMessage? TryDecode()
    {
        MessageCodec.TryDecode(_encoded, out var message);
        return message;
    }
}

/// <summary>MessageCodec on an AppendAck of 10 results.</summary>
[MemoryDiagnoser]
public class AppendAckCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private AppendAck _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.AppendAck(10);
        _encoded = MessageCodec.Encode(_message);
    }

    [Benchmark]
    public int Encode() => MessageCodec.Encode(_message, _buffer);

    [Benchmark]
    public JournalMessage? TryDecode()
    {
        MessageCodec.TryDecode(_encoded, out var message);
        return message;
    }
}

/// <summary>MessageCodec on a HistoryPage of 10 notes.</summary>
[MemoryDiagnoser]
public class HistoryPageCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private HistoryPage _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.HistoryPage(10);
        _encoded = MessageCodec.Encode(_message);
    }

    [Benchmark]
    public int Encode() => MessageCodec.Encode(_message, _buffer);

    [Benchmark]
    public JournalMessage? TryDecode()
    {
        MessageCodec.TryDecode(_encoded, out var message);
        return message;
    }
}
