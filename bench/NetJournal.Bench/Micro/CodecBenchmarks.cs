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

    [Benchmark]
    public int ViewRead()
    {
        if (!AppendRequestView.TryRead(_encoded, out var view)) return -1;
        var sum = (int)view.Instance ^ (int)view.Base ^ (int)view.FirstNumber ^ view.Name.Length;
        foreach (var note in view) sum += note.Length;
        return sum;
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

    [Benchmark]
    public int ViewRead()
    {
        if (!AppendAckView.TryRead(_encoded, out var view)) return -1;
        var sum = (int)view.Instance ^ (int)view.FirstNumber;
        foreach (var result in view) sum += (int)result.Status ^ (int)result.Seq ^ (int)result.Error;
        return sum;
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

    [Benchmark]
    public int ViewRead()
    {
        if (!HistoryPageView.TryRead(_encoded, out var view)) return -1;
        var sum = (int)view.RequestId ^ (int)view.NextAfterSeq ^ (view.Complete ? 1 : 0);
        foreach (var note in view)
        {
            sum += (int)note.Seq ^ (int)note.TimeMs ^ note.Client.Length ^ note.Address.Length ^ note.Text.Length
                ^ (int)note.Origin ^ (note.Priority ?? 0);
        }
        return sum;
    }
}

/// <summary>MessageCodec on a HistoryRequest with a token and a client, since and grep filter.</summary>
[MemoryDiagnoser]
public class HistoryRequestCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private HistoryRequest _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.HistoryRequest();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!HistoryRequestView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ view.Token.Length ^ (int)view.AfterSeq ^ (int)view.UntilSeq ^ view.MaxReply ^ Fold(view.Filter);
    }

    /// <summary>Every field of a filter, folded.</summary>
    internal static int Fold(HistoryFilterView f) =>
        f.Client.Length ^ f.Address.Length ^ f.Grep.Length ^ (int)(f.SinceMs ?? 0) ^ (int)(f.UntilMs ?? 0)
        ^ (f.HasClient ? 1 : 0) ^ (f.HasAddress ? 2 : 0) ^ (f.HasGrep ? 4 : 0);
}

/// <summary>MessageCodec on a CountRequest with a token and a client, since and grep filter.</summary>
[MemoryDiagnoser]
public class CountRequestCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private CountRequest _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.CountRequest();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!CountRequestView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ view.Token.Length ^ (int)view.LastN ^ HistoryRequestCodecBenchmarks.Fold(view.Filter);
    }
}

/// <summary>MessageCodec on a CountReply.</summary>
[MemoryDiagnoser]
public class CountReplyCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private CountReply _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.CountReply();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!CountReplyView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ (int)view.Matched ^ (int)view.StartAfterSeq ^ (int)view.EndSeq ^ (int)view.TotalNotes;
    }
}

/// <summary>MessageCodec on a ClientsRequest with a token.</summary>
[MemoryDiagnoser]
public class ClientsRequestCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private ClientsRequest _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.ClientsRequest();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!ClientsRequestView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ view.Token.Length ^ (int)view.AfterIndex ^ view.MaxReply;
    }
}

/// <summary>MessageCodec on a ClientsPage of 10 clients.</summary>
[MemoryDiagnoser]
public class ClientsPageCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private ClientsPage _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.ClientsPage(10);
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

    [Benchmark]
    public int ViewRead()
    {
        if (!ClientsPageView.TryRead(_encoded, out var view)) return -1;
        var sum = (int)view.RequestId ^ (int)view.NextIndex ^ (view.Complete ? 1 : 0);
        foreach (var client in view)
            sum += client.Name.Length ^ client.LastAddress.Length ^ (int)client.NoteCount ^ (int)client.FirstMs ^ (int)client.LastMs;
        return sum;
    }
}

/// <summary>MessageCodec on an ErrorReply with its detail text.</summary>
[MemoryDiagnoser]
public class ErrorReplyCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private ErrorReply _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.ErrorReply();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!ErrorReplyView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ (int)view.Code ^ view.Detail.Length;
    }
}

/// <summary>MessageCodec on a RetryChallenge with a 16-byte token.</summary>
[MemoryDiagnoser]
public class RetryChallengeCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];
    private RetryChallenge _message = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = MicroData.RetryChallenge();
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

    [Benchmark]
    public int ViewRead()
    {
        if (!RetryChallengeView.TryRead(_encoded, out var view)) return -1;
        return (int)view.RequestId ^ view.Token.Length;
    }
}
