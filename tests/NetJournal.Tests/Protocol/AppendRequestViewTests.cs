using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class AppendRequestViewTests
{
    private static readonly byte[] Valid = MessageCodec.Encode(
        new AppendRequest(0xABCDEF, 3, 5, "写手", new[] { "第一条", "second 🙂", "", new string('长', 2000) }.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray()));

    [Fact]
    public void The_view_reads_the_same_fields_as_the_decoder()
    {
        Assert.True(AppendRequestView.TryRead(Valid, out var view));
        Assert.Equal(0xABCDEFUL, view.Instance);
        Assert.Equal(3UL, view.Base);
        Assert.Equal(5UL, view.FirstNumber);
        Assert.Equal("写手", Encoding.UTF8.GetString(view.Name));
        var notes = new List<string>();
        foreach (var note in view) notes.Add(Encoding.UTF8.GetString(note));
        Assert.Equal(["第一条", "second 🙂", "", new string('长', 2000)], notes);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_accepts_as_an_append()
    {
        var random = new Random(7);
        var candidates = new List<byte[]>();
        for (var i = 0; i <= Valid.Length; i++) candidates.Add(Valid[..i]);
        for (var i = 0; i < 5000; i++)
        {
            var mutated = (byte[])Valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            candidates.Add(mutated);
        }
        candidates.Add([.. Valid, 0]);
        foreach (var datagram in candidates)
        {
            var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is AppendRequest;
            Assert.Equal(decoded, AppendRequestView.TryRead(datagram, out var view));
            if (!decoded) continue;
            var request = (AppendRequest)message!;
            Assert.Equal((request.Instance, request.Base, request.FirstNumber, request.Notes.Count), (view.Instance, view.Base, view.FirstNumber, view.NoteCount));
            var i = 0;
            foreach (var note in view) Assert.True(note.SequenceEqual(request.Notes[i++].Span));
        }
    }

    [Fact]
    public void Other_messages_are_not_appends()
    {
        Assert.False(AppendRequestView.TryRead(MessageCodec.Encode(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None)), out _));
        Assert.False(AppendRequestView.TryRead("plain text"u8, out _));
    }
}
