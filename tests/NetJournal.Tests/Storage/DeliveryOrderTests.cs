using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

/// <summary>The delivery policy on its own, as a store drives it: Begin, Admit each note in batch order, then Commit or Fail.</summary>
public class DeliveryOrderTests
{
    private const ulong Instance = 7;

    private static PendingNote Native(ulong number, ulong @base = 0, ErrorCode refusal = ErrorCode.None, ulong instance = Instance) =>
        new("ana", "127.0.0.1:4000", "note", NoteOrigin.Native, null, instance, number, @base, refusal);

    /// <summary>One batch as a store runs it: admitted notes take the next seqs from <paramref name="lastSeq"/>.</summary>
    private static NoteResult[] Batch(DeliveryOrder order, ref ulong lastSeq, params PendingNote[] notes)
    {
        var results = new NoteResult[notes.Length];
        order.Begin();
        for (var i = 0; i < notes.Length; i++)
            if (order.Admit(notes[i], lastSeq + 1, out results[i])) lastSeq++;
        order.Commit();
        return results;
    }

    [Fact]
    public void Numbers_in_order_are_due_and_take_the_seqs_offered()
    {
        var order = new DeliveryOrder();
        ulong seq = 10;
        Assert.Equal([NoteResult.Stored(11), NoteResult.Stored(12)], Batch(order, ref seq, Native(1), Native(2)));
        Assert.Equal(1, order.InstanceCount);
    }

    [Fact]
    public void A_retry_is_a_duplicate_with_its_seq_inside_the_batch_and_without_it_after()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        Assert.Equal([NoteResult.Stored(1), NoteResult.Duplicate(1)], Batch(order, ref seq, Native(1), Native(1)));
        Assert.Equal([NoteResult.Duplicate(0)], Batch(order, ref seq, Native(1)));
        Assert.Equal(1UL, seq);
    }

    [Fact]
    public void A_gap_is_deferred_until_its_predecessor_comes()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        Assert.Equal([NoteResult.Deferred], Batch(order, ref seq, Native(2)));
        Assert.Equal([NoteResult.Stored(1), NoteResult.Stored(2)], Batch(order, ref seq, Native(1), Native(2)));
    }

    [Fact]
    public void Base_settles_the_numbers_below_it_so_nothing_waits_for_them()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        Assert.Equal([NoteResult.Stored(1)], Batch(order, ref seq, Native(5, @base: 5)));
        Assert.Equal([NoteResult.Duplicate(0)], Batch(order, ref seq, Native(4)));
    }

    [Fact]
    public void A_refused_note_takes_its_turn_and_its_successor_is_due()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        var results = Batch(order, ref seq, Native(1, refusal: ErrorCode.NoteTooLong), Native(2));
        Assert.Equal([NoteResult.Rejected(ErrorCode.NoteTooLong), NoteResult.Stored(1)], results);
        // The same bytes again are refused again, never reported as stored.
        Assert.Equal([NoteResult.Rejected(ErrorCode.NoteTooLong)], Batch(order, ref seq, Native(1, refusal: ErrorCode.NoteTooLong)));
    }

    [Fact]
    public void After_a_failed_write_the_batch_is_refused_and_a_later_copy_is_refused_again()
    {
        var order = new DeliveryOrder();
        PendingNote[] notes = [Native(1), Native(1), Native(2), Native(1, instance: 0)];
        var results = new NoteResult[notes.Length];
        order.Begin();
        ulong seq = 0;
        for (var i = 0; i < notes.Length; i++)
            if (order.Admit(notes[i], seq + 1, out results[i])) seq++;
        order.Fail(notes, results, lastDurableSeq: 0);
        Assert.All(results, r => Assert.Equal(NoteResult.Rejected(ErrorCode.StorageFailed), r));

        ulong after = 0;
        Assert.Equal([NoteResult.Rejected(ErrorCode.StorageFailed), NoteResult.Stored(1)], Batch(order, ref after, Native(2), Native(3)));
    }

    [Fact]
    public void An_abandoned_batch_settles_and_remembers_nothing_so_a_later_copy_is_admitted_afresh()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        Assert.Equal([NoteResult.Stored(1)], Batch(order, ref seq, Native(1)));
        PendingNote[] notes = [Native(1), Native(2), Native(2), Native(3), Native(5)];
        var results = new NoteResult[notes.Length];
        order.Begin();
        var offered = seq;
        for (var i = 0; i < notes.Length; i++)
            if (order.Admit(notes[i], offered + 1, out results[i])) offered++;
        order.Abandon(results, lastDurableSeq: seq, ErrorCode.StoreUnavailable);
        // A duplicate of a note stored before and a deferred one keep their answers; the new ones are "not yet".
        Assert.Equal([NoteResult.Duplicate(0), NoteResult.Rejected(ErrorCode.StoreUnavailable), NoteResult.Rejected(ErrorCode.StoreUnavailable),
            NoteResult.Rejected(ErrorCode.StoreUnavailable), NoteResult.Deferred], results);

        Assert.Equal([NoteResult.Stored(2), NoteResult.Stored(3)], Batch(order, ref seq, Native(2), Native(3)));
    }

    [Fact]
    public void Numbers_found_on_open_are_settled_and_instance_zero_is_not_remembered()
    {
        var order = new DeliveryOrder();
        order.Settled(Instance, 3);
        order.Settled(0, 9);
        ulong seq = 3;
        Assert.Equal([NoteResult.Duplicate(0), NoteResult.Stored(4)], Batch(order, ref seq, Native(3), Native(4)));
        Assert.Equal(1, order.InstanceCount);
    }

    [Fact]
    public void Instances_are_ordered_independently()
    {
        var order = new DeliveryOrder();
        ulong seq = 0;
        var results = Batch(order, ref seq, Native(1, instance: 1), Native(2, instance: 2), Native(1, instance: 2));
        Assert.Equal([NoteResult.Stored(1), NoteResult.Deferred, NoteResult.Stored(2)], results);
    }
}
