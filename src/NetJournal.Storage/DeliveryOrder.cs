using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// The delivery policy every store applies to a commit batch: each client instance's notes are stored strictly in
/// its numbering order, once. Per note, in batch order, <see cref="Admit"/> says whether it is due (store it under
/// the seq offered) or gives its final answer: Rejected with its refusal (in its number's turn, so the order
/// advances past it), Duplicate for a number already settled (with the seq it was stored under, when known),
/// Rejected(StorageFailed) for a number refused after a failed write, or Deferred for a number whose predecessor
/// has not come yet. Base from the client settles every number below it. After the batch's write the store calls
/// <see cref="Commit"/>, or <see cref="Fail"/> if the write failed. Single-threaded: the commit thread owns it.
/// </summary>
public sealed class DeliveryOrder(int maxInstances = 100_000)
{
    private readonly DedupTable _dedup = new(maxInstances);
    private readonly Dictionary<(ulong Instance, ulong Number), ulong> _batchKeys = [];
    private readonly Dictionary<ulong, ulong> _batchSettled = [];

    /// <summary>Client instances remembered (the oldest are forgotten beyond maxInstances).</summary>
    public int InstanceCount => _dedup.InstanceCount;

    /// <summary>A note known to be stored (read from the journal on open): its number is settled. Instance 0 is ignored.</summary>
    public void Settled(ulong instance, ulong number)
    {
        if (instance != 0) _dedup.Advance(instance, number);
    }

    /// <summary>Starts a batch: forgets what the last one decided but did not settle.</summary>
    public void Begin()
    {
        _batchKeys.Clear();
        _batchSettled.Clear();
    }

    /// <summary>
    /// Decides the next note of the batch. True: the note is due and is to be stored under <paramref name="seq"/>
    /// (<paramref name="result"/> is Stored(seq)). False: <paramref name="result"/> is the note's answer and it is not stored.
    /// A note without an instance (plain text, syslog) is always due unless refused.
    /// </summary>
    public bool Admit(in PendingNote note, ulong seq, out NoteResult result)
    {
        if (note.Refusal != ErrorCode.None)
        {
            // Checked before dedup: the same bytes are refused again on a retry, never reported as stored.
            if (note.Instance != 0 && note.Number == SettledInBatch(note.Instance, note.Base) + 1) _batchSettled[note.Instance] = note.Number;
            result = NoteResult.Rejected(note.Refusal);
            return false;
        }
        if (note.Instance != 0)
        {
            var settled = SettledInBatch(note.Instance, note.Base);
            if (note.Number <= settled)
            {
                result = _dedup.WasRefused(note.Instance, note.Number)
                    ? NoteResult.Rejected(ErrorCode.StorageFailed)
                    : NoteResult.Duplicate(_batchKeys.GetValueOrDefault((note.Instance, note.Number)));
                return false;
            }
            if (note.Number > settled + 1)
            {
                result = NoteResult.Deferred;
                return false;
            }
            _batchSettled[note.Instance] = note.Number;
            _batchKeys[(note.Instance, note.Number)] = seq;
        }
        result = NoteResult.Stored(seq);
        return true;
    }

    /// <summary>The batch's notes are durable: the numbers it took are settled.</summary>
    public void Commit()
    {
        foreach (var (instance, settled) in _batchSettled) _dedup.Advance(instance, settled);
    }

    /// <summary>
    /// The batch's write failed: every result above <paramref name="lastDurableSeq"/> (a note admitted in this batch,
    /// or a copy of one) becomes Rejected(StorageFailed), and the numbers are settled as refused. The clients take
    /// StorageFailed as final, so a copy of the same datagram arriving later (a retransmission) is refused again,
    /// never stored behind their back.
    /// </summary>
    public void Fail(IReadOnlyList<PendingNote> batch, Span<NoteResult> results, ulong lastDurableSeq)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Seq <= lastDurableSeq) continue;
            results[i] = NoteResult.Rejected(ErrorCode.StorageFailed);
            if (batch[i].Instance != 0) _dedup.Refuse(batch[i].Instance, batch[i].Number);
        }
        Commit();
    }

    /// <summary>
    /// The batch's write did not happen and may be tried again (the store was not reached, or refused the transaction
    /// before its commit): every result above <paramref name="lastDurableSeq"/> becomes Rejected(<paramref name="code"/>)
    /// and nothing is settled or remembered, so a later copy of the same note is admitted afresh. For a code the client
    /// takes as "not yet" (<see cref="ErrorCode.StoreUnavailable"/>): it sends the note again until it is stored.
    /// </summary>
    public void Abandon(Span<NoteResult> results, ulong lastDurableSeq, ErrorCode code)
    {
        for (var i = 0; i < results.Length; i++)
            if (results[i].Status is NoteStatus.Stored or NoteStatus.Duplicate && results[i].Seq > lastDurableSeq)
                results[i] = NoteResult.Rejected(code);
        Begin();
    }

    private ulong SettledInBatch(ulong instance, ulong clientBase)
    {
        if (!_batchSettled.TryGetValue(instance, out var settled))
        {
            _dedup.TryGetSettled(instance, out settled);
            // The client says everything below Base is settled at its end: never wait for those numbers.
            if (clientBase > settled + 1) settled = clientBase - 1;
            _batchSettled[instance] = settled;
        }
        return settled;
    }
}
