using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class StoredRunTests
{
    private static StoredRun? RunOf(params NoteResult[] results)
    {
        var buffer = new byte[ProtocolConstants.MaxDatagram];
        var length = MessageCodec.EncodeAppendAck(7, 100, results, buffer);
        Assert.True(StoredRun.TryRead(buffer.AsSpan(0, length), out var view, out var run));
        Assert.Equal(results.Length, view.ResultCount);
        return run;
    }

    [Fact]
    public void Notes_stored_under_consecutive_seqs_become_a_run_that_reads_back_as_the_same_results()
    {
        NoteResult[] results = [NoteResult.Stored(41), NoteResult.Stored(42), NoteResult.Stored(43)];

        var run = RunOf(results);

        Assert.NotNull(run);
        Assert.Equal(41UL, run.FirstSeq);
        Assert.Equal(results, run.ToArray());
        Assert.Equal(NoteResult.Stored(43), run[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run[-1]);
    }

    [Fact]
    public void Any_other_shape_is_no_run()
    {
        Assert.Null(RunOf(NoteResult.Stored(1), NoteResult.Stored(3)));
        Assert.Null(RunOf(NoteResult.Stored(2), NoteResult.Stored(1)));
        Assert.Null(RunOf(NoteResult.Stored(1), NoteResult.Duplicate(2)));
        Assert.Null(RunOf(NoteResult.Stored(1), NoteResult.Rejected(ErrorCode.NoteTooLong)));
        Assert.Null(RunOf(NoteResult.Deferred));
        Assert.Null(RunOf(NoteResult.Held, NoteResult.Held));
    }
}
