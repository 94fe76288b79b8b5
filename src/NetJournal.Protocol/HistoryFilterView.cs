using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// A <see cref="HistoryFilter"/> read in place, inside a history or count request. The strings are spans of valid
/// UTF-8 over the datagram; an absent string is empty and its Has… property false, so "" and "any" stay distinct.
/// </summary>
public readonly ref struct HistoryFilterView
{
    private const byte ClientBit = 1, AddressBit = 2, SinceBit = 4, UntilBit = 8, GrepBit = 16;

    private readonly byte _present;

    private HistoryFilterView(byte present, ReadOnlySpan<byte> client, ReadOnlySpan<byte> address, long? sinceMs, long? untilMs, ReadOnlySpan<byte> grep)
    {
        _present = present;
        Client = client;
        Address = address;
        SinceMs = sinceMs;
        UntilMs = untilMs;
        Grep = grep;
    }

    public bool HasClient => (_present & ClientBit) != 0;
    public ReadOnlySpan<byte> Client { get; }
    public bool HasAddress => (_present & AddressBit) != 0;
    public ReadOnlySpan<byte> Address { get; }
    public long? SinceMs { get; }
    public long? UntilMs { get; }
    public bool HasGrep => (_present & GrepBit) != 0;
    public ReadOnlySpan<byte> Grep { get; }

    /// <summary>No field present: every note matches.</summary>
    public bool IsEmpty => _present == 0;

    /// <summary>The filter as the decoder returns it: <see cref="HistoryFilter.None"/> when empty, so an empty filter allocates nothing.</summary>
    public HistoryFilter ToFilter() => IsEmpty
        ? HistoryFilter.None
        : new HistoryFilter(
            HasClient ? Encoding.UTF8.GetString(Client) : null,
            HasAddress ? Encoding.UTF8.GetString(Address) : null,
            SinceMs,
            UntilMs,
            HasGrep ? Encoding.UTF8.GetString(Grep) : null);

    /// <summary>A presence byte (five field bits, no other), then the present fields in order; strings of at most 512 bytes.</summary>
    internal static bool TryRead(scoped ref WireReader r, out HistoryFilterView filter)
    {
        filter = default;
        if (!r.TryReadByte(out var present) || present > 31) return false;
        ReadOnlySpan<byte> client = default, address = default, grep = default;
        long? since = null, until = null;
        if ((present & ClientBit) != 0 && !r.TryReadUtf8(ProtocolConstants.MaxFilterBytes, out client)) return false;
        if ((present & AddressBit) != 0 && !r.TryReadUtf8(ProtocolConstants.MaxFilterBytes, out address)) return false;
        if ((present & SinceBit) != 0) { if (!r.TryReadVarInt64(out var v)) return false; since = v; }
        if ((present & UntilBit) != 0) { if (!r.TryReadVarInt64(out var v)) return false; until = v; }
        if ((present & GrepBit) != 0 && !r.TryReadUtf8(ProtocolConstants.MaxFilterBytes, out grep)) return false;
        filter = new HistoryFilterView(present, client, address, since, until, grep);
        return true;
    }
}
