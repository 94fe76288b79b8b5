using System.Runtime.CompilerServices;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Cli.Live;

/// <summary>
/// The live notes of a session: every note the server stores, through <see cref="JournalClient.FollowAsync"/> (each
/// once, in seq order, lost pushes fetched, a server restart followed through), with its changes of state said in the
/// same words as <c>netjournal follow</c> says them.
/// </summary>
public sealed class FollowedNotes(JournalClient client) : ILiveNoteSource
{
    public async IAsyncEnumerable<LiveNoteEvent> FollowAsync(ulong? afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = afterSeq is { } seq ? FollowStart.After(seq) : FollowStart.Now;
        await foreach (var e in client.FollowAsync(HistoryFilter.None, start, cancellationToken).ConfigureAwait(false))
        {
            yield return e.Kind switch
            {
                FollowEventKind.Note => LiveNoteEvent.Stored(e.Note!),
                FollowEventKind.NotAnswering => LiveNoteEvent.Said(Messages.FollowNotAnswering(client.Server.ToString(), e.Seq)),
                FollowEventKind.Resumed => LiveNoteEvent.Said(Messages.FollowResumed(e.Seq)),
                _ => LiveNoteEvent.Said(Messages.FollowRestarted(e.Seq)),
            };
        }
    }
}
