using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>
/// Field-by-field comparison of decoded messages: records holding lists or ReadOnlyMemory
/// compare by reference, so their value equality cannot be trusted.
/// </summary>
internal static class MessageAssert
{
    public static JournalMessage RoundTrip(JournalMessage message)
    {
        var bytes = MessageCodec.Encode(message);
        var status = MessageCodec.TryDecode(bytes, out var decoded);
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.NotNull(decoded);
        Equal(message, decoded);
        return decoded;
    }

    public static void Equal(JournalMessage expected, JournalMessage actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case AppendRequest e:
                var a1 = (AppendRequest)actual;
                Assert.Equal(e.Instance, a1.Instance);
                Assert.Equal(e.Base, a1.Base);
                Assert.Equal(e.FirstNumber, a1.FirstNumber);
                Assert.Equal(e.Name, a1.Name);
                Assert.Equal(e.AcceptsHeld, a1.AcceptsHeld);
                Assert.Equal(e.Notes.Count, a1.Notes.Count);
                for (var i = 0; i < e.Notes.Count; i++)
                    Assert.Equal(e.Notes[i].ToArray(), a1.Notes[i].ToArray());
                break;
            case AppendAck e:
                var a2 = (AppendAck)actual;
                Assert.Equal(e.Instance, a2.Instance);
                Assert.Equal(e.FirstNumber, a2.FirstNumber);
                Assert.Equal(e.Results, a2.Results);
                break;
            case HistoryRequest e:
                var a3 = (HistoryRequest)actual;
                Assert.Equal(e.RequestId, a3.RequestId);
                Assert.Equal(e.Token.ToArray(), a3.Token.ToArray());
                Assert.Equal(e.AfterSeq, a3.AfterSeq);
                Assert.Equal(e.UntilSeq, a3.UntilSeq);
                Assert.Equal(e.MaxReply, a3.MaxReply);
                Assert.Equal(e.Filter, a3.Filter);
                break;
            case HistoryPage e:
                var a4 = (HistoryPage)actual;
                Assert.Equal(e.RequestId, a4.RequestId);
                Assert.Equal(e.NextAfterSeq, a4.NextAfterSeq);
                Assert.Equal(e.Complete, a4.Complete);
                Assert.Equal(e.Notes, a4.Notes);
                break;
            case CountRequest e:
                var a5 = (CountRequest)actual;
                Assert.Equal(e.RequestId, a5.RequestId);
                Assert.Equal(e.Token.ToArray(), a5.Token.ToArray());
                Assert.Equal(e.LastN, a5.LastN);
                Assert.Equal(e.Filter, a5.Filter);
                break;
            case CountReply e:
                Assert.Equal(e, (CountReply)actual);
                break;
            case ClientsRequest e:
                var a7 = (ClientsRequest)actual;
                Assert.Equal(e.RequestId, a7.RequestId);
                Assert.Equal(e.Token.ToArray(), a7.Token.ToArray());
                Assert.Equal(e.AfterIndex, a7.AfterIndex);
                Assert.Equal(e.MaxReply, a7.MaxReply);
                break;
            case ClientsPage e:
                var a8 = (ClientsPage)actual;
                Assert.Equal(e.RequestId, a8.RequestId);
                Assert.Equal(e.NextIndex, a8.NextIndex);
                Assert.Equal(e.Complete, a8.Complete);
                Assert.Equal(e.Clients, a8.Clients);
                break;
            case ErrorReply e:
                Assert.Equal(e, (ErrorReply)actual);
                break;
            case RetryChallenge e:
                var a10 = (RetryChallenge)actual;
                Assert.Equal(e.RequestId, a10.RequestId);
                Assert.Equal(e.Token.ToArray(), a10.Token.ToArray());
                break;
            default:
                Assert.Fail($"no comparison for {expected.GetType().Name}");
                break;
        }
    }
}
