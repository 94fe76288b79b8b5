using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>AskRequest (13) and AskReply (14), protocol §4.12–4.13: golden bytes, round trips and the limits.</summary>
public sealed class AskMessagesTests
{
    [Fact]
    public void An_ask_request_has_the_documented_bytes()
    {
        var bytes = MessageCodec.Encode(new AskRequest(0x01020304, new byte[] { 0xAA, 0xBB }, 0x1122334455667788, "ana", "hi?"));

        Assert.Equal(
            [0xFE, 0x4E, 0x4A, 0x01, 0x0D, 0x00, 0x01, 0x02, 0x03, 0x04, 0x02, 0xAA, 0xBB,
             0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x03, (byte)'a', (byte)'n', (byte)'a', 0x03, (byte)'h', (byte)'i', (byte)'?'],
            bytes);
    }

    [Fact]
    public void A_working_reply_is_15_bytes_and_an_answer_carries_its_seqs_and_text()
    {
        Assert.Equal([0xFE, 0x4E, 0x4A, 0x01, 0x0E, 0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00],
            MessageCodec.Encode(AskReply.Working(9)));
        var answer = MessageCodec.Encode(new AskReply(9, AskStatus.Answered, 3, 300, [2, 1], "ok"));
        Assert.Equal([0xFE, 0x4E, 0x4A, 0x01, 0x0E, 0x00, 0x00, 0x00, 0x00, 0x09, 0x01, 0x03, 0xAC, 0x02, 0x02, 0x02, 0x01, 0x02, (byte)'o', (byte)'k'], answer);
    }

    [Fact]
    public void Both_round_trip_through_the_decoder()
    {
        var request = new AskRequest(5, new byte[] { 1, 2, 3 }, 42, "张三", "本周谁写得最多 🙂");
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(MessageCodec.Encode(request), out var decodedRequest));
        var back = Assert.IsType<AskRequest>(decodedRequest);
        Assert.Equal((5u, 42UL, "张三", "本周谁写得最多 🙂"), (back.RequestId, back.QuestionId, back.Name, back.Question));
        Assert.Equal([1, 2, 3], back.Token.ToArray());

        var reply = new AskReply(5, AskStatus.Answered, 7, 8, [6, 4, 2], "本周写得最多的是 张三，3 条（#6、#4、#2）。");
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(MessageCodec.Encode(reply), out var decodedReply));
        var answer = Assert.IsType<AskReply>(decodedReply);
        Assert.Equal((reply.RequestId, reply.Status, reply.QuestionSeq, reply.AnswerSeq, reply.Answer), (answer.RequestId, answer.Status, answer.QuestionSeq, answer.AnswerSeq, answer.Answer));
        Assert.Equal(reply.Cited, answer.Cited);
    }

    [Fact]
    public void A_bad_status_too_many_seqs_a_long_question_or_trailing_bytes_are_malformed()
    {
        var reply = MessageCodec.Encode(new AskReply(9, AskStatus.Answered, 3, 4, [], "ok"));
        var badStatus = reply.ToArray();
        badStatus[10] = 3;
        var tooMany = MessageCodec.Encode(new AskReply(9, AskStatus.Answered, 3, 4, [], "ok"));
        tooMany[13] = ProtocolConstants.MaxCitedSeqs + 1;
        var longQuestion = MessageCodec.Encode(new AskRequest(1, ReadOnlyMemory<byte>.Empty, 1, "a", new string('x', ProtocolConstants.MaxQuestionBytes + 1)));
        var trailing = MessageCodec.Encode(new AskRequest(1, ReadOnlyMemory<byte>.Empty, 1, "a", "q")).Append((byte)0).ToArray();

        foreach (var datagram in new[] { badStatus, tooMany, longQuestion, trailing })
            Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
        Assert.Throws<ArgumentException>(() => MessageCodec.Encode(new AskReply(1, AskStatus.Answered, 1, 2, [.. Enumerable.Range(1, 33).Select(i => (ulong)i)], "x")));
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(MessageCodec.Encode(new AskRequest(1, ReadOnlyMemory<byte>.Empty, 1, "a", new string('字', ProtocolConstants.MaxQuestionBytes / 3))), out _));
        Assert.True(Encoding.UTF8.GetByteCount(new string('字', ProtocolConstants.MaxQuestionBytes / 3)) <= ProtocolConstants.MaxQuestionBytes);
    }
}
