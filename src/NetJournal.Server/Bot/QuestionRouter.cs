using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server.Bot;

/// <summary>
/// Takes questions to the bot and its answers back. A question is a stored note that starts with <c>@bot </c>: the
/// commit listener seam hands every one to a bounded queue (never waiting, so storing notes is never delayed), and
/// the bot's own task answers them one at a time, within <see cref="BotOptions.Timeout"/>, and stores each answer as a
/// note of the client <c>bot</c> (origin Bot) through the group commit. An <c>ask</c> (AskRequest, protocol §4.12)
/// stores its question as the asker's note <c>@bot QUESTION</c>, so it takes that same path and the conversation
/// reads in order in the journal; the asker then gets the answer in an AskReply, and a repeat or poll of the question
/// gets Working until it is ready (§4.13). Ask state is bounded: a few unanswered questions per source, answers
/// kept <see cref="BotOptions.KeepAnswers"/>.
/// </summary>
internal sealed class QuestionRouter : ICommitListener
{
    public const string Prefix = "@bot ";

    private readonly IJournalBot _bot;
    private readonly BotOptions _options;
    private readonly Func<LocalNote, CancellationToken, Task<AppendResult>> _append;
    private readonly string _address;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<BotQuestion> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, ulong QuestionId), AskEntry> _asks = [];
    private readonly Dictionary<ulong, AskEntry> _waiting = [];
    // Answers by question seq for an ask whose question was stored but whose entry had not yet learnt the seq.
    private readonly Dictionary<ulong, AskReply> _answered = [];
    private readonly Queue<ulong> _answeredOrder = new();
    private ReplyGate? _replies;
    private Task _running = Task.CompletedTask;
    private long _dropped;
    private volatile bool _stopped;

    /// <param name="append">Stores a note through the group commit (<see cref="JournalServer.AppendAsync"/>).</param>
    /// <param name="address">The address the bot's notes are stored with: the server's own.</param>
    public QuestionRouter(IJournalBot bot, BotOptions options, Func<LocalNote, CancellationToken, Task<AppendResult>> append, string address, ILogger logger, TimeProvider time)
    {
        _bot = bot;
        _options = options;
        _append = append;
        _address = address;
        _logger = logger;
        _time = time;
        _queue = Channel.CreateBounded<BotQuestion>(new BoundedChannelOptions(options.QueueLength)
        { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Questions dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether a note's text asks the bot: it starts with <c>@bot </c> (any case) and has a question after it.</summary>
    public static bool IsQuestion(string text) =>
        text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(text.AsSpan(Prefix.Length).ToString());

    /// <summary>Starts the bot's task; replies go out through <paramref name="replies"/>. The task never faults (each answer is guarded).</summary>
    public void Start(ReplyGate replies)
    {
        _replies = replies;
        _running = Task.Run(RunAsync);
        BotLog.Started(_logger, _options.Description, _options.Timeout.TotalSeconds);
    }

    /// <summary>Commit thread: offers each question note to the queue, never waiting.</summary>
    /// <summary>Only notes that may be questions (<see cref="Prefix"/> in any case, from anyone but the bot), from their UTF-8 bytes.</summary>
    public bool Wants(in PendingNote note)
    {
        if (note.Origin == NoteOrigin.Bot) return false;
        if (note.Text is { } text) return IsQuestion(text);
        var utf8 = note.TextUtf8.Span;
        return utf8.Length > PrefixUtf8.Length && System.Text.Ascii.EqualsIgnoreCase(utf8[..PrefixUtf8.Length], PrefixUtf8);
    }

    private static ReadOnlySpan<byte> PrefixUtf8 => "@bot "u8;

    public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
    {
        // At shutdown the commit thread drains after the bot has stopped: those questions go unanswered, not "dropped".
        if (_stopped) return;
        foreach (ref readonly var note in notes)
        {
            if (note.Origin == NoteOrigin.Bot || !IsQuestion(note.Text)) continue;
            var question = new BotQuestion(note.Text[Prefix.Length..].Trim(), note.Client, note.Seq, note.TimeMs);
            if (_queue.Writer.TryWrite(question)) continue;
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped <= 5 || dropped % 1000 == 0) BotLog.QuestionDropped(_logger, note.Seq, dropped);
            // An asker waiting for it hears why, rather than polling until its entry expires.
            Complete(note.Seq, new AskReply(0, AskStatus.Answered, note.Seq, 0, [], Busy(question.IsChinese)));
        }
    }

    private static string Busy(bool chinese) => chinese
        ? "机器人有太多问题在排队，这个问题没有回答，请稍后再问。"
        : "The bot has too many questions waiting and did not answer this one; ask again shortly.";

    /// <summary>
    /// Query thread, for an AskRequest whose token is valid: a new question is stored as the asker's note (and
    /// answered when the bot has done so); a repeat gets the answer if it is ready, else Working.
    /// </summary>
    public void Ask(AskRequest request, ClientAddress from, ReplyGate replies)
    {
        var name = request.Name;
        var question = request.Question.Trim();
        if (NoteRules.CheckName(name) != ErrorCode.None)
        {
            Refuse(request, ErrorCode.BadName, from, replies);
            return;
        }
        if (question.Length == 0 || question.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            Refuse(request, ErrorCode.BadQuestion, from, replies);
            return;
        }
        var key = (from.Text, request.QuestionId);
        var now = _time.GetUtcNow();
        AskEntry? entry;
        lock (_gate)
        {
            Prune(now);
            if (_asks.TryGetValue(key, out entry))
            {
                entry.LastRequestId = request.RequestId;
                entry.To = from;
                var reply = entry.Reply is { } answered ? answered with { RequestId = request.RequestId } : AskReply.Working(request.RequestId);
                Send(reply, from, replies);
                return;
            }
            var pending = _asks.Values.Count(e => e.Reply is null && e.To.Ip.Equals(from.Ip));
            if (pending >= _options.MaxPendingPerSource || _asks.Count >= MaxEntries || _queue.Reader.Count >= _options.QueueLength)
            {
                Refuse(request, ErrorCode.BotBusy, from, replies);
                return;
            }
            entry = new AskEntry(now, request.RequestId, from);
            _asks.Add(key, entry);
        }
        // Answered once the question is stored and then answered; nothing is sent now, so a quick answer is the reply.
        entry.Storing = StoreQuestionAsync(entry, new LocalNote(name, from.Text, Prefix + question, NoteOrigin.Native));
    }

    private const int MaxEntries = 4096;

    /// <summary>Stores the asked question; AppendAsync never faults, it says Rejected with why.</summary>
    private async Task StoreQuestionAsync(AskEntry entry, LocalNote note)
    {
        var stored = await _append(note, CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            if (!stored.IsStored)
            {
                entry.Reply = new AskReply(entry.LastRequestId, AskStatus.Answered, 0, 0, [],
                    $"The question was not stored, so the bot did not see it: {ErrorText.Describe(stored.Result.Error)}.");
                SendAnswer(entry);
                return;
            }
            var seq = stored.Result.Seq;
            if (_answered.TryGetValue(seq, out var answer))
            {
                entry.Reply = answer;
                SendAnswer(entry);
            }
            else
            {
                _waiting[seq] = entry;
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var question)) await AnswerAsync(question).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task AnswerAsync(BotQuestion question)
    {
        var started = _time.GetTimestamp();
        BotAnswer answer;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(_options.Timeout);
            try
            {
                answer = await _bot.AnswerAsync(question, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                answer = BotAnswer.Plain(question.IsChinese
                    ? $"机器人在 {_options.Timeout.TotalSeconds:0.#} 秒内没有回答。"
                    : $"The bot did not answer within {_options.Timeout.TotalSeconds:0.#} s.");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The bot is a guest (rules over the journal, or a remote endpoint): its failure is an answer, not a fault of the server.
                BotLog.AnswerFailed(_logger, question.Seq, e);
                answer = BotAnswer.Plain(question.IsChinese ? $"机器人无法回答：{e.Message}" : $"The bot could not answer: {e.Message}");
            }
        }
        var text = AnswerText.Flatten(answer.Text);
        if (text.Length == 0) text = question.IsChinese ? "机器人没有给出回答。" : "The bot gave no answer.";
        var cited = answer.Cited.Take(ProtocolConstants.MaxCitedSeqs).ToArray();
        var stored = await _append(new LocalNote(BotOptions.ClientName, _address, text, NoteOrigin.Bot), _stop.Token).ConfigureAwait(false);
        BotLog.Answered(_logger, question.Seq, stored.IsStored ? stored.Result.Seq : 0, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        Complete(question.Seq, new AskReply(0, AskStatus.Answered, question.Seq, stored.IsStored ? stored.Result.Seq : 0, cited, text));
    }

    /// <summary>The answer to question <paramref name="seq"/>: sent to its asker if one waits, else kept a while for one to come.</summary>
    private void Complete(ulong seq, AskReply reply)
    {
        lock (_gate)
        {
            if (_waiting.Remove(seq, out var entry))
            {
                entry.Reply = reply;
                SendAnswer(entry);
                return;
            }
            _answered[seq] = reply;
            _answeredOrder.Enqueue(seq);
            while (_answeredOrder.Count > 256) _answered.Remove(_answeredOrder.Dequeue());
        }
    }

    private void SendAnswer(AskEntry entry)
    {
        entry.AnsweredAt = _time.GetUtcNow();
        if (_replies is { } replies) Send(entry.Reply! with { RequestId = entry.LastRequestId }, entry.To, replies);
    }

    private void Prune(DateTimeOffset now)
    {
        List<(string, ulong)>? old = null;
        foreach (var (key, entry) in _asks)
        {
            var since = entry.AnsweredAt ?? entry.AskedAt + _options.Timeout + _options.Timeout;
            if (now - since > _options.KeepAnswers) (old ??= []).Add(key);
        }
        if (old is null) return;
        foreach (var key in old)
        {
            _asks.Remove(key, out var entry);
            foreach (var (seq, waiting) in _waiting.Where(w => w.Value == entry).ToList()) _waiting.Remove(seq);
        }
    }

    // Answers go only to an address that showed a token (the query thread checked it), so they may exceed 3× the question.
    private static void Send(AskReply reply, ClientAddress to, ReplyGate replies) =>
        replies.Send(MessageCodec.Encode(reply), to, 0, validated: true);

    // No detail: the code says it all, and the client puts it in words (ErrorText).
    private static void Refuse(AskRequest request, ErrorCode code, ClientAddress to, ReplyGate replies) =>
        replies.Send(MessageCodec.Encode(new ErrorReply(request.RequestId, code, "")), to, 0, validated: true);

    /// <summary>Stops answering: the question being answered is cancelled, those waiting are dropped. Called before the commit thread stops.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One asked question: where to send its answer, and the answer once there is one.</summary>
    private sealed class AskEntry(DateTimeOffset askedAt, uint requestId, ClientAddress to)
    {
        public DateTimeOffset AskedAt { get; } = askedAt;
        public uint LastRequestId { get; set; } = requestId;
        public ClientAddress To { get; set; } = to;
        public AskReply? Reply { get; set; }
        public DateTimeOffset? AnsweredAt { get; set; }
        public Task Storing { get; set; } = Task.CompletedTask;
    }
}
