using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class CodecPropertyTests
{
    private const int Iterations = 2000;

    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Protocol", "corpus");

    // The field generators are shared with the view tests.
    private static readonly Gen<string> Text = ViewGen.Text;
    private static readonly Gen<ulong> Number = ViewGen.Number;
    private static readonly Gen<long> Time = ViewGen.Time;
    private static readonly Gen<byte[]> Token = ViewGen.Token;
    private static readonly Gen<Note> NoteGen = ViewGen.Note;
    private static readonly Gen<HistoryFilter> FilterGen = ViewGen.Filter;
    private static readonly Gen<NoteResult> ResultGen = ViewGen.Result;

    private static Gen<string?> Maybe(Gen<string> gen) => Gen.Select(Gen.Bool, gen, (present, value) => present ? value : null);

    private static Gen<long?> Maybe(Gen<long> gen) => Gen.Select(Gen.Bool, gen, (present, value) => present ? value : (long?)null);

    /// <summary>Decoding must report, never throw; a message it accepts must survive being encoded again.</summary>
    private static void DecodesWithoutThrowing(ReadOnlyMemory<byte> datagram)
    {
        var status = MessageCodec.TryDecode(datagram, out var message);

        Assert.True(Enum.IsDefined(status), $"undefined status {status}");
        Assert.Equal(status == DecodeStatus.Ok, message is not null);
        if (message is not null) MessageAssert.RoundTrip(message);
    }

    [Fact]
    public void Arbitrary_bytes_never_make_decoding_throw()
    {
        Gen.Byte.Array[0, 2000].Sample(bytes => DecodesWithoutThrowing(bytes), iter: Iterations);
    }

    [Fact]
    public void Arbitrary_bodies_behind_a_valid_header_never_make_decoding_throw()
    {
        Gen.Select(Gen.Byte[1, 10], Gen.Byte.Array[0, 600], (type, body) => (byte[])[0xFE, (byte)'N', (byte)'J', 1, type, 0, .. body])
            .Sample(datagram => DecodesWithoutThrowing(datagram), iter: Iterations);
    }

    [Fact]
    public void Small_arbitrary_bodies_behind_a_valid_header_never_make_decoding_throw()
    {
        // Short bodies reach the field decoders' edge cases far more often than long ones.
        Gen.Select(Gen.Byte[1, 10], Gen.Byte[0, 4].Array[0, 24], (type, body) => (byte[])[0xFE, (byte)'N', (byte)'J', 1, type, 0, .. body])
            .Sample(datagram => DecodesWithoutThrowing(datagram), iter: Iterations);
    }

    [Fact]
    public void Generated_append_requests_round_trip()
    {
        Gen.Select(Number, Number, Number, Text, Gen.Byte.Array[0, 300].Array[1, 20],
                (instance, @base, first, name, notes) => new AppendRequest(instance, @base, first, name, notes.Select(n => (ReadOnlyMemory<byte>)n).ToArray()))
            .Sample(request => { MessageAssert.RoundTrip(request); }, iter: Iterations);
    }

    [Fact]
    public void Generated_history_pages_round_trip()
    {
        Gen.Select(Gen.UInt, Number, Gen.Bool, NoteGen.Array[0, 8], (id, next, complete, notes) => new HistoryPage(id, next, complete, notes))
            .Sample(page =>
            {
                var decoded = MessageAssert.RoundTrip(page);
                Assert.Equal(MessageCodec.PageOverhead + page.Notes.Sum(MessageCodec.NoteSize), MessageCodec.Encode(decoded).Length);
            }, iter: Iterations);
    }

    [Fact]
    public void Generated_history_requests_round_trip()
    {
        Gen.Select(Gen.UInt, Token, Number, Number, Gen.UShort, FilterGen,
                (id, token, after, until, maxReply, filter) => new HistoryRequest(id, token, after, until, maxReply, filter))
            .Sample(request => { MessageAssert.RoundTrip(request); }, iter: Iterations);
    }

    [Fact]
    public void Generated_append_acks_round_trip()
    {
        Gen.Select(Number, Number, ResultGen.Array[0, 255], (instance, first, results) => new AppendAck(instance, first, results))
            .Sample(ack => { MessageAssert.RoundTrip(ack); }, iter: Iterations);
    }

    [Fact]
    public void Generated_count_requests_and_clients_pages_round_trip()
    {
        Gen.Select(Gen.UInt, Token, Number, FilterGen, (id, token, lastN, filter) => new CountRequest(id, token, lastN, filter))
            .Sample(request => { MessageAssert.RoundTrip(request); }, iter: Iterations / 2);
        var client = Gen.Select(Text, Text, Number, Time, Time, (name, address, count, first, last) => new ClientSummary(name, address, count, first, last));
        Gen.Select(client.Array[0, 8], Gen.UInt, Number, Gen.Bool, (clients, id, next, complete) => new ClientsPage(id, next, complete, clients))
            .Sample(page => { MessageAssert.RoundTrip(page); }, iter: Iterations / 2);
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDirectory, "*.bin").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_seed_corpus_is_copied_beside_the_tests()
    {
        Assert.True(Directory.GetFiles(CorpusDirectory, "*.bin").Length >= 5);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_datagrams_decode_and_native_ones_re_encode_to_the_same_bytes(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory, name));

        var status = MessageCodec.TryDecode(bytes, out var message);

        if (name.StartsWith("foreign-", StringComparison.Ordinal))
        {
            Assert.Equal(DecodeStatus.NotNative, status);
            return;
        }
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(bytes, MessageCodec.Encode(message!));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Mutated_corpus_datagrams_never_make_decoding_throw(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(CorpusDirectory, name));
        var random = new Random(name.Length * 7919 + original.Length);
        for (var i = 0; i < 3000; i++)
        {
            var mutant = new List<byte>(original);
            var edits = random.Next(1, 5);
            for (var e = 0; e < edits; e++) Mutate(mutant, random);
            DecodesWithoutThrowing(mutant.ToArray());
        }
    }

    private static void Mutate(List<byte> bytes, Random random)
    {
        switch (random.Next(6))
        {
            case 0 when bytes.Count > 0:
                var bit = random.Next(bytes.Count * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when bytes.Count > 0:
                var keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            case 2:
                bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 4 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] = (byte)(random.Next(2) == 0 ? 0xFF : random.Next(256));
                break;
            default:
                // Duplicate a run, as a retransmitting or buggy sender might.
                if (bytes.Count == 0) break;
                var start = random.Next(bytes.Count);
                var length = random.Next(1, Math.Min(16, bytes.Count - start) + 1);
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                break;
        }
    }
}
