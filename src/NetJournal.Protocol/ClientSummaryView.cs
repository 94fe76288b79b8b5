using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// One client of a <see cref="ClientsPageView"/>, read in place: the strings are spans of valid UTF-8 over the datagram.
/// <see cref="ToSummary"/> makes the <see cref="ClientSummary"/> the decoder returns.
/// </summary>
public readonly ref struct ClientSummaryView
{
    private ClientSummaryView(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lastAddress, ulong noteCount, long firstMs, long lastMs)
    {
        Name = name;
        LastAddress = lastAddress;
        NoteCount = noteCount;
        FirstMs = firstMs;
        LastMs = lastMs;
    }

    public ReadOnlySpan<byte> Name { get; }
    public ReadOnlySpan<byte> LastAddress { get; }
    public ulong NoteCount { get; }

    /// <summary>Unix milliseconds of the client's first note.</summary>
    public long FirstMs { get; }

    /// <summary>Unix milliseconds of the client's last note.</summary>
    public long LastMs { get; }

    /// <summary>The summary as <see cref="MessageCodec.TryDecode"/> returns it.</summary>
    public ClientSummary ToSummary() => new(Encoding.UTF8.GetString(Name), Encoding.UTF8.GetString(LastAddress), NoteCount, FirstMs, LastMs);

    /// <summary>Name (at most 512 bytes), last address (512), note count, first and last times. <paramref name="validate"/> false skips the UTF-8 checks of an already read page.</summary>
    internal static bool TryRead(scoped ref WireReader r, bool validate, out ClientSummaryView client)
    {
        client = default;
        if (!r.TryReadUtf8(ProtocolConstants.MaxNameBytes * 4, validate, out var name)
            || !r.TryReadUtf8(ProtocolConstants.MaxFilterBytes, validate, out var address)
            || !r.TryReadVarUInt(out var notes) || !r.TryReadVarInt64(out var first) || !r.TryReadVarInt64(out var last))
            return false;
        client = new ClientSummaryView(name, address, notes, first, last);
        return true;
    }
}
