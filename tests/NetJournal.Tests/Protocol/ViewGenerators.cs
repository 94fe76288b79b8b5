using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>
/// Generators for the codec and view tests: every message type and its fields,
/// and datagrams around one type, valid or nearly so, to compare a view with the decoder on.
/// </summary>
internal static class ViewGen
{
    public const int Iterations = 2000;

    /// <summary>Text from a pool of ASCII, Chinese, control and quoting characters, ending in zero to two emoji (never a lone surrogate).</summary>
    public static readonly Gen<string> Text = Gen.Select(
        Gen.Char["abcxyz ABC 今天天气很好日志é\"\\\u001b\t\0"].Array[0, 12],
        Gen.OneOf("", "🙂", "😀👍", "💾"),
        (chars, emoji) => new string(chars) + emoji);

    /// <summary>Mostly small numbers, where one-byte varints and empty fields meet the decoder's size checks.</summary>
    public static readonly Gen<ulong> Number = Gen.OneOf(Gen.ULong, Gen.UInt[0, 200].Select(n => (ulong)n));

    public static readonly Gen<long> Time = Gen.OneOf(Gen.Long, Gen.Long[-64, 63]);

    public static readonly Gen<byte[]> Token = Gen.Byte.Array[0, ProtocolConstants.MaxTokenBytes];

    public static readonly Gen<Note> Note = Gen.Select(
        Number, Time, Text, Text, Text, Gen.Byte[0, 4], Gen.Bool, Gen.Byte[0, 191],
        (seq, time, client, address, text, origin, hasPriority, priority) =>
            new Note(seq, time, client, address, text, (NoteOrigin)origin, hasPriority ? priority : null));

    public static readonly Gen<HistoryFilter> Filter = Gen.Select(
        Maybe(Text), Maybe(Text), Maybe(Time), Maybe(Time), Maybe(Text),
        (client, address, since, until, grep) => new HistoryFilter(client, address, since, until, grep));

    public static readonly Gen<NoteResult> Result = Gen.Select(Gen.Int[0, 4], Number, Gen.Byte, (kind, seq, error) => kind switch
    {
        0 => NoteResult.Stored(seq),
        1 => NoteResult.Duplicate(seq),
        2 => NoteResult.Rejected((ErrorCode)error),
        3 => NoteResult.Held,
        _ => NoteResult.Deferred,
    });

    public static readonly Gen<ClientSummary> Client =
        Gen.Select(Text, Text, Number, Time, Time, (name, address, count, first, last) => new ClientSummary(name, address, count, first, last));

    public static readonly Gen<AppendRequest> AppendRequest = Gen.Select(Number, Number, Number, Text, Gen.Byte.Array[0, 40].Array[1, 8],
        (instance, @base, first, name, notes) => new AppendRequest(instance, @base, first, name, notes.Select(n => (ReadOnlyMemory<byte>)n).ToArray()));

    public static readonly Gen<AppendAck> AppendAck =
        Gen.Select(Number, Number, Result.Array[0, 255], (instance, first, results) => new AppendAck(instance, first, results));

    public static readonly Gen<HistoryRequest> HistoryRequest = Gen.Select(Gen.UInt, Token, Number, Number, Gen.UShort, Filter,
        (id, token, after, until, maxReply, filter) => new HistoryRequest(id, token, after, until, maxReply, filter));

    public static readonly Gen<HistoryPage> HistoryPage =
        Gen.Select(Gen.UInt, Number, Gen.Bool, Note.Array[0, 8], (id, next, complete, notes) => new HistoryPage(id, next, complete, notes));

    public static readonly Gen<CountRequest> CountRequest =
        Gen.Select(Gen.UInt, Token, Number, Filter, (id, token, lastN, filter) => new CountRequest(id, token, lastN, filter));

    public static readonly Gen<CountReply> CountReply =
        Gen.Select(Gen.UInt, Number, Number, Number, Number, (id, matched, start, end, total) => new CountReply(id, matched, start, end, total));

    public static readonly Gen<ClientsRequest> ClientsRequest =
        Gen.Select(Gen.UInt, Token, Number, Gen.UShort, (id, token, after, maxReply) => new ClientsRequest(id, token, after, maxReply));

    public static readonly Gen<ClientsPage> ClientsPage =
        Gen.Select(Gen.UInt, Number, Gen.Bool, Client.Array[0, 8], (id, next, complete, clients) => new ClientsPage(id, next, complete, clients));

    public static readonly Gen<ErrorReply> ErrorReply = Gen.Select(Gen.UInt, Gen.Byte, Text, (id, code, detail) => new ErrorReply(id, (ErrorCode)code, detail));

    public static readonly Gen<RetryChallenge> RetryChallenge = Gen.Select(Gen.UInt, Token, (id, token) => new RetryChallenge(id, token));

    public static readonly Gen<JournalMessage> AnyMessage = Gen.OneOf(
        AppendRequest.Select(m => (JournalMessage)m), AppendAck.Select(m => (JournalMessage)m), HistoryRequest.Select(m => (JournalMessage)m),
        HistoryPage.Select(m => (JournalMessage)m), CountRequest.Select(m => (JournalMessage)m), CountReply.Select(m => (JournalMessage)m),
        ClientsRequest.Select(m => (JournalMessage)m), ClientsPage.Select(m => (JournalMessage)m), ErrorReply.Select(m => (JournalMessage)m),
        RetryChallenge.Select(m => (JournalMessage)m));

    /// <summary>One to four edits: flip a bit, cut the tail, insert a byte, delete one, overwrite one, duplicate a run.</summary>
    private static readonly Gen<(int Kind, int Position, byte Value)[]> Edits = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1 << 20], Gen.Byte).Array[1, 4];

    /// <summary>
    /// Datagrams around messages of one type: their encodings, mutants of them, random bodies (long, and short of small
    /// bytes) behind that type's header, encodings of any type, and arbitrary bytes.
    /// </summary>
    public static Gen<byte[]> Around<T>(Gen<T> messages, MessageType messageType) where T : JournalMessage
    {
        var type = (byte)messageType;
        return Gen.OneOf(
            messages.Select(m => MessageCodec.Encode(m)),
            Gen.Select(messages, Edits, (m, edits) => Mutate(MessageCodec.Encode(m), edits)),
            Gen.Select(messages, Edits, (m, edits) => Mutate(MessageCodec.Encode(m), edits)),
            Gen.Byte.Array[0, 120].Select(body => (byte[])[.. Header(type), .. body]),
            Gen.Byte[0, 4].Array[0, 24].Select(body => (byte[])[.. Header(type), .. body]),
            AnyMessage.Select(m => MessageCodec.Encode(m)),
            Gen.Byte.Array[0, 40]);
    }

    public static byte[] Header(byte type) => [ProtocolConstants.Magic0, ProtocolConstants.Magic1, ProtocolConstants.Magic2, ProtocolConstants.Version, type, 0];

    private static byte[] Mutate(byte[] encoded, (int Kind, int Position, byte Value)[] edits)
    {
        var bytes = new List<byte>(encoded);
        foreach (var (kind, position, value) in edits)
        {
            if (bytes.Count == 0) break;
            var at = position % bytes.Count;
            switch (kind)
            {
                case 0: bytes[at] ^= (byte)(1 << (value & 7)); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                case 2: bytes.Insert(at, value); break;
                case 3: bytes.RemoveAt(at); break;
                case 4: bytes[at] = value; break;
                default: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(1 + (value & 15), bytes.Count - at))); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>
    /// Samples <paramref name="datagrams"/> through <paramref name="agrees"/> (which asserts that the view and the decoder agree
    /// and says whether they accepted), and checks that both outcomes were met often enough to mean something.
    /// </summary>
    public static void CheckAgreement(Gen<byte[]> datagrams, Func<byte[], bool> agrees)
    {
        var accepted = 0;
        var refused = 0;
        datagrams.Sample(datagram =>
        {
            if (agrees(datagram)) Interlocked.Increment(ref accepted);
            else Interlocked.Increment(ref refused);
        }, iter: Iterations);
        Assert.True(accepted >= Iterations / 20, $"only {accepted} of {Iterations} datagrams were accepted");
        Assert.True(refused >= Iterations / 20, $"only {refused} of {Iterations} datagrams were refused");
    }

    private static Gen<string?> Maybe(Gen<string> gen) => Gen.Select(Gen.Bool, gen, (present, value) => present ? value : null);

    private static Gen<long?> Maybe(Gen<long> gen) => Gen.Select(Gen.Bool, gen, (present, value) => present ? value : (long?)null);
}
