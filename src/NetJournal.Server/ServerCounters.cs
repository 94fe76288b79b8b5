namespace NetJournal.Server;

/// <summary>What the server has seen, for logs and tests. Updated with interlocked adds from several threads.</summary>
public sealed class ServerCounters
{
    private long _datagrams, _malformed, _unsupported, _notesStored, _duplicates, _rejected, _dropped, _challenges, _commits, _writeFailures, _plainNotes,
        _syslogNotes, _plainHistoryRequests, _plainHistoryRefused;

    public long Datagrams => Volatile.Read(ref _datagrams);
    public long Malformed => Volatile.Read(ref _malformed);
    public long Unsupported => Volatile.Read(ref _unsupported);
    public long NotesStored => Volatile.Read(ref _notesStored);
    public long Duplicates => Volatile.Read(ref _duplicates);
    public long Rejected => Volatile.Read(ref _rejected);
    public long Dropped => Volatile.Read(ref _dropped);
    public long Challenges => Volatile.Read(ref _challenges);
    public long Commits => Volatile.Read(ref _commits);
    public long WriteFailures => Volatile.Read(ref _writeFailures);
    public long PlainNotes => Volatile.Read(ref _plainNotes);
    public long SyslogNotes => Volatile.Read(ref _syslogNotes);
    public long PlainHistoryRequests => Volatile.Read(ref _plainHistoryRequests);

    /// <summary>`r` requests from sources outside JournalServerOptions.PlainHistoryAllow, dropped unanswered.</summary>
    public long PlainHistoryRefused => Volatile.Read(ref _plainHistoryRefused);

    private long _rateLimited;

    /// <summary>Datagrams from a source over JournalServerOptions.RateLimitPerSource, dropped before decoding (not in Datagrams).</summary>
    public long RateLimited => Volatile.Read(ref _rateLimited);

    private long _cut;

    /// <summary>
    /// Plain-text and syslog notes stored with their text or client name cut to the limit (ForeignNoteRules);
    /// also in <see cref="PlainNotes"/> or <see cref="SyslogNotes"/>.
    /// </summary>
    public long Cut => Volatile.Read(ref _cut);

    internal void CutNote() => Interlocked.Increment(ref _cut);

    internal void RateLimit() => Interlocked.Increment(ref _rateLimited);

    private long _held, _heldExpired, _heldPeakBytes;

    /// <summary>Append datagrams answered Held and kept until their turn (<see cref="HeldAppends"/>); a copy of one already held is not counted.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Held datagrams dropped because the notes before them did not come in time (their clients send them again).</summary>
    public long HeldExpired => Volatile.Read(ref _heldExpired);

    /// <summary>The most memory held datagrams stood for at once, counted as the commit queue counts it.</summary>
    public long HeldPeakBytes => Volatile.Read(ref _heldPeakBytes);

    internal void Hold() => Interlocked.Increment(ref _held);
    internal void HeldExpire(int datagrams) => Interlocked.Add(ref _heldExpired, datagrams);

    // The commit thread is the one writer.
    internal void HeldBytes(long bytes)
    {
        if (bytes > _heldPeakBytes) Volatile.Write(ref _heldPeakBytes, bytes);
    }

    private long _follows, _followsExpired, _pushes, _pushDropped, _followQueueDropped;

    /// <summary>Follows registered (a renewal is not counted), over the server's life.</summary>
    public long Follows => Volatile.Read(ref _follows);

    /// <summary>Followers forgotten because their lease ran out.</summary>
    public long FollowsExpired => Volatile.Read(ref _followsExpired);

    /// <summary>Notify datagrams pushed to followers.</summary>
    public long Pushes => Volatile.Read(ref _pushes);

    /// <summary>Pushes dropped because the follower's push budget was spent (it fetches them by history).</summary>
    public long PushDropped => Volatile.Read(ref _pushDropped);

    /// <summary>Batches of committed notes the follower registry's queue had no room for (followers see the gap).</summary>
    public long FollowQueueDropped => Volatile.Read(ref _followQueueDropped);

    internal void Follow() => Interlocked.Increment(ref _follows);
    internal void FollowExpired(int n) => Interlocked.Add(ref _followsExpired, n);
    internal void Push() => Interlocked.Increment(ref _pushes);
    internal void PushDrop() => Interlocked.Increment(ref _pushDropped);
    internal void FollowQueueDrop() => Interlocked.Increment(ref _followQueueDropped);

    internal void Datagram() => Interlocked.Increment(ref _datagrams);
    internal void MalformedDatagram() => Interlocked.Increment(ref _malformed);
    internal void UnsupportedDatagram() => Interlocked.Increment(ref _unsupported);
    internal void Stored(int n) => Interlocked.Add(ref _notesStored, n);
    internal void Duplicate() => Interlocked.Increment(ref _duplicates);
    internal void Rejection() => Interlocked.Increment(ref _rejected);
    internal void Drop(int datagrams = 1) => Interlocked.Add(ref _dropped, datagrams);
    internal void Challenge() => Interlocked.Increment(ref _challenges);
    internal void Commit() => Interlocked.Increment(ref _commits);
    internal void WriteFailure() => Interlocked.Increment(ref _writeFailures);
    internal void PlainNote() => Interlocked.Increment(ref _plainNotes);
    internal void SyslogNote() => Interlocked.Increment(ref _syslogNotes);
    internal void PlainHistoryRequest() => Interlocked.Increment(ref _plainHistoryRequests);
    internal void PlainHistoryRefusal() => Interlocked.Increment(ref _plainHistoryRefused);

    public override string ToString() =>
        $"datagrams={Datagrams} stored={NotesStored} duplicates={Duplicates} rejected={Rejected} malformed={Malformed} " +
        $"unsupported={Unsupported} dropped={Dropped} challenges={Challenges} commits={Commits} writeFailures={WriteFailures} " +
        $"plain={PlainNotes} syslog={SyslogNotes} plainHistory={PlainHistoryRequests} plainHistoryRefused={PlainHistoryRefused}" +
        $" rateLimited={RateLimited} cut={Cut} held={Held} heldExpired={HeldExpired} heldPeakBytes={HeldPeakBytes}" +
        $" followers={Follows} followersExpired={FollowsExpired} pushes={Pushes} pushDropped={PushDropped} followQueueDropped={FollowQueueDropped}";
}
