using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>
/// Field-by-field comparison of a message with the view of its datagram. Strings are compared as UTF-8 bytes,
/// so a view that kept the wrong bytes cannot hide behind a lenient decoding; enumerations must yield exactly the list.
/// </summary>
internal static class ViewAssert
{
    public static void Same(AppendAck expected, AppendAckView view)
    {
        Assert.Equal(expected.Instance, view.Instance);
        Assert.Equal(expected.FirstNumber, view.FirstNumber);
        Assert.Equal(expected.Results.Count, view.ResultCount);
        var results = new List<NoteResult>();
        foreach (var result in view) results.Add(result);
        Assert.Equal(expected.Results, results);
    }

    public static void Same(HistoryRequest expected, HistoryRequestView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Token.ToArray(), view.Token.ToArray());
        Assert.Equal(expected.AfterSeq, view.AfterSeq);
        Assert.Equal(expected.UntilSeq, view.UntilSeq);
        Assert.Equal(expected.MaxReply, view.MaxReply);
        Same(expected.Filter, view.Filter);
    }

    public static void Same(CountRequest expected, CountRequestView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Token.ToArray(), view.Token.ToArray());
        Assert.Equal(expected.LastN, view.LastN);
        Same(expected.Filter, view.Filter);
    }

    public static void Same(HistoryFilter expected, HistoryFilterView view)
    {
        Assert.Equal(expected.IsEmpty, view.IsEmpty);
        Assert.Equal(expected.Client is not null, view.HasClient);
        Assert.Equal(Utf8(expected.Client), view.Client.ToArray());
        Assert.Equal(expected.Address is not null, view.HasAddress);
        Assert.Equal(Utf8(expected.Address), view.Address.ToArray());
        Assert.Equal(expected.SinceMs, view.SinceMs);
        Assert.Equal(expected.UntilMs, view.UntilMs);
        Assert.Equal(expected.Grep is not null, view.HasGrep);
        Assert.Equal(Utf8(expected.Grep), view.Grep.ToArray());
        Assert.Equal(expected, view.ToFilter());
    }

    public static void Same(ClientsRequest expected, ClientsRequestView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Token.ToArray(), view.Token.ToArray());
        Assert.Equal(expected.AfterIndex, view.AfterIndex);
        Assert.Equal(expected.MaxReply, view.MaxReply);
    }

    public static void Same(HistoryPage expected, HistoryPageView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.NextAfterSeq, view.NextAfterSeq);
        Assert.Equal(expected.Complete, view.Complete);
        Assert.Equal(expected.Notes.Count, view.NoteCount);
        var i = 0;
        foreach (var note in view)
        {
            Assert.True(i < expected.Notes.Count, "the view enumerates more notes than it counts");
            Same(expected.Notes[i++], note);
        }
        Assert.Equal(expected.Notes.Count, i);
    }

    public static void Same(Note expected, NoteView view)
    {
        Assert.Equal(expected.Seq, view.Seq);
        Assert.Equal(expected.TimeMs, view.TimeMs);
        Assert.Equal(Utf8(expected.Client), view.Client.ToArray());
        Assert.Equal(Utf8(expected.Address), view.Address.ToArray());
        Assert.Equal(Utf8(expected.Text), view.Text.ToArray());
        Assert.Equal(expected.Origin, view.Origin);
        Assert.Equal(expected.Priority, view.Priority);
        Assert.Equal(expected, view.ToNote());
    }

    public static void Same(ClientsPage expected, ClientsPageView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.NextIndex, view.NextIndex);
        Assert.Equal(expected.Complete, view.Complete);
        Assert.Equal(expected.Clients.Count, view.ClientCount);
        var i = 0;
        foreach (var client in view)
        {
            Assert.True(i < expected.Clients.Count, "the view enumerates more clients than it counts");
            Same(expected.Clients[i++], client);
        }
        Assert.Equal(expected.Clients.Count, i);
    }

    public static void Same(ClientSummary expected, ClientSummaryView view)
    {
        Assert.Equal(Utf8(expected.Name), view.Name.ToArray());
        Assert.Equal(Utf8(expected.LastAddress), view.LastAddress.ToArray());
        Assert.Equal(expected.NoteCount, view.NoteCount);
        Assert.Equal(expected.FirstMs, view.FirstMs);
        Assert.Equal(expected.LastMs, view.LastMs);
        Assert.Equal(expected, view.ToSummary());
    }

    public static void Same(CountReply expected, CountReplyView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Matched, view.Matched);
        Assert.Equal(expected.StartAfterSeq, view.StartAfterSeq);
        Assert.Equal(expected.EndSeq, view.EndSeq);
        Assert.Equal(expected.TotalNotes, view.TotalNotes);
    }

    public static void Same(ErrorReply expected, ErrorReplyView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Code, view.Code);
        Assert.Equal(Utf8(expected.Detail), view.Detail.ToArray());
    }

    public static void Same(RetryChallenge expected, RetryChallengeView view)
    {
        Assert.Equal(expected.RequestId, view.RequestId);
        Assert.Equal(expected.Token.ToArray(), view.Token.ToArray());
    }

    /// <summary>Absent and empty strings both read as no bytes; the Has… properties tell them apart.</summary>
    private static byte[] Utf8(string? text) => text is null ? [] : Encoding.UTF8.GetBytes(text);
}
