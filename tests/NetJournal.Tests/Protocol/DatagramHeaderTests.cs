using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class DatagramHeaderTests
{
    private static byte[] Count() => MessageCodec.Encode(new CountRequest(7, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None));

    [Fact]
    public void A_native_header_gives_its_version_type_flags_and_length()
    {
        Assert.Equal(DecodeStatus.Ok, DatagramHeader.Read(Count(), out var header));
        Assert.Equal(ProtocolConstants.Version, header.Version);
        Assert.Equal(MessageType.CountRequest, header.Type);
        Assert.Equal(HeaderFlags.None, header.Flags);
        Assert.Equal(ProtocolConstants.HeaderSize, header.Length);
        Assert.True(DatagramHeader.TryRead(Count(), out _));
    }

    [Fact]
    public void Each_way_a_header_can_be_wrong_has_its_status_and_none_is_ok()
    {
        var version = Count();
        version[3] = 2;
        var flags = Count();
        flags[5] = (byte)HeaderFlags.Sealed;
        var type = Count();
        type[4] = 200;
        foreach (var (datagram, status) in new (byte[], DecodeStatus)[]
                 {
                     (Encoding.UTF8.GetBytes("plain text"), DecodeStatus.NotNative),
                     ([], DecodeStatus.NotNative),
                     (Count()[..5], DecodeStatus.Malformed),
                     (version, DecodeStatus.UnsupportedVersion),
                     (flags, DecodeStatus.UnsupportedFlags),
                     (type, DecodeStatus.UnknownType),
                 })
        {
            Assert.Equal(status, DatagramHeader.Read(datagram, out _));
            Assert.False(DatagramHeader.TryRead(datagram, out _));
            Assert.Equal(status, MessageCodec.TryDecode(datagram, out _));
        }
        Assert.True(DatagramHeader.Read(flags, out var sealedHeader) == DecodeStatus.UnsupportedFlags && sealedHeader.Flags == HeaderFlags.Sealed);
    }

    [Fact]
    public void The_accepts_held_flag_is_accepted_alone_and_on_an_append_only()
    {
        var append = MessageCodec.Encode(new AppendRequest(9, 1, 2, "ana", [Encoding.UTF8.GetBytes("你好")]) { AcceptsHeld = true });
        Assert.Equal(DecodeStatus.Ok, DatagramHeader.Read(append, out var header));
        Assert.Equal(HeaderFlags.AcceptsHeld, header.Flags);

        var sealedToo = append.ToArray();
        sealedToo[5] = (byte)(HeaderFlags.AcceptsHeld | HeaderFlags.Sealed);
        var onCount = Count();
        onCount[5] = (byte)HeaderFlags.AcceptsHeld;
        var onAck = MessageCodec.Encode(new AppendAck(9, 2, [NoteResult.Held]));
        onAck[5] = (byte)HeaderFlags.AcceptsHeld;
        foreach (var datagram in new[] { sealedToo, onCount, onAck })
        {
            Assert.Equal(DecodeStatus.UnsupportedFlags, DatagramHeader.Read(datagram, out _));
            Assert.Equal(DecodeStatus.UnsupportedFlags, MessageCodec.TryDecode(datagram, out _));
        }
        Assert.False(AppendAckView.TryRead(onAck, out _));
    }

    [Fact]
    public void An_append_read_after_its_header_is_the_append_read_whole()
    {
        var datagram = MessageCodec.Encode(new AppendRequest(9, 1, 1, "ana", [Encoding.UTF8.GetBytes("你好")]));
        Assert.True(DatagramHeader.TryRead(datagram, out var header));
        Assert.True(AppendRequestView.TryRead(datagram, header, out var view));
        Assert.Equal(9UL, view.Instance);
        Assert.False(DatagramHeader.TryRead(Count(), out var other) && AppendRequestView.TryRead(Count(), other, out _));
    }
}
