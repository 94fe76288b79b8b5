using System.Globalization;
using System.Text.RegularExpressions;
using NetJournal.Protocol;
using NetJournal.Storage;
using NodaTime;

namespace NetJournal.Server.Bot;

/// <summary>
/// The bot that needs no network and no model: a small table of question patterns (<see cref="Rules"/>, English
/// and Chinese) over the journal's own queries. It answers how many notes (today, this week, on a day, by someone,
/// containing a word), who wrote most, what someone wrote, notes containing a word, someone's last note and when
/// someone last wrote, in the question's language, citing the seqs it used; anything else it says plainly it cannot
/// answer, with examples of what it can. Days are the server's time zone's (<see cref="QuestionDates"/>).
/// </summary>
public sealed partial class BuiltInBot : IJournalBot
{
    /// <summary>Seqs named in an answer before "and N more".</summary>
    public const int CiteInText = 3;

    /// <summary>Notes quoted in an answer that lists notes.</summary>
    public const int ListInText = 5;

    private readonly JournalLookup _journal;
    private readonly QuestionDates _dates;

    public BuiltInBot(IJournalStore store, TimeProvider time, DateTimeZone? zone = null)
    {
        _journal = new JournalLookup(store);
        _dates = new QuestionDates(zone ?? DateTimeZoneProviders.Tzdb.GetSystemDefault(), time);
    }

    /// <summary>What a question asks, found by the first rule whose pattern matches it.</summary>
    public enum Kind
    {
        Unknown,
        TopWriter,
        LastWrote,
        LastNote,
        Count,
        WhatWrote,
        Containing,
    }

    private sealed record Rule(Kind Kind, Regex Pattern);

    /// <summary>The question patterns, first match wins; each holds the English and the Chinese ways of asking.</summary>
    private static readonly Rule[] Rules =
    [
        new(Kind.TopWriter, new(@"\bwho\b.*\bmost\b|谁.*最多|最多的是谁|谁.*最勤", Options)),
        new(Kind.LastWrote, new(@"\bwhen\b.*\b(?:last|latest)\b|\blast\s+(?:wrote|written|write)\b|什么时候|何时|几时", Options)),
        new(Kind.LastNote, new(@"\b(?:last|latest|newest|most recent)\s+note\b|最后一条|最新一条|最近一条|最新的笔记|最后的笔记", Options)),
        new(Kind.Count, new(@"\bhow many\b|\bnumber of\b|多少|几条|几篇", Options)),
        new(Kind.WhatWrote, new(@"\bwhat\b.*\b(?:write|wrote|written)\b|写了什么|写了啥|写了些什么|写的内容", Options)),
        new(Kind.Containing, new(@"\b(?:contain|contains|containing|mention|mentions|mentioning|matching|with the word)\b|包含|含有|提到|提及", Options)),
    ];

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>The rule a question falls under.</summary>
    public static Kind Classify(string question) => Rules.FirstOrDefault(r => r.Pattern.IsMatch(question))?.Kind ?? Kind.Unknown;

    public Task<BotAnswer> AnswerAsync(BotQuestion question, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(question));

    /// <summary>The answer, computed on the calling thread (bounded reads of the store).</summary>
    public BotAnswer Answer(BotQuestion question)
    {
        var q = new Asked(question.Text, question.IsChinese, question.Seq, _dates.Find(question.Text), FindClient(question), FindWord(question.Text));
        return Classify(question.Text) switch
        {
            Kind.TopWriter => TopWriter(q),
            Kind.LastWrote => Last(q, when: true),
            Kind.LastNote => Last(q, when: false),
            Kind.Count => Count(q),
            Kind.WhatWrote => List(q),
            Kind.Containing when q.Word is not null => List(q),
            _ => CannotAnswer(q.Chinese),
        };
    }

    /// <summary>A question taken apart: its language, the seq it was stored under (the journal before it is what it asks about), the days, the client and the word it names (each may be absent).</summary>
    private sealed record Asked(string Text, bool Chinese, ulong Before, DayRange? Days, string? Client, string? Word)
    {
        public HistoryFilter Filter(bool withWord = true) =>
            new(Client, null, Days?.SinceMs, Days?.UntilMs, withWord ? Word : null);
    }

    private BotAnswer Count(Asked q)
    {
        var (matched, latest) = _journal.CountAndLatest(q.Filter(), CiteInText, q.Before);
        var seqs = latest.Select(n => n.Seq).Reverse().ToArray();
        var cite = Cite(seqs, matched, q.Chinese);
        string text;
        if (q.Chinese)
        {
            var days = q.Days?.Chinese ?? "总共";
            var what = q.Word is null ? "笔记" : $"包含“{q.Word}”的笔记";
            text = (q.Client, matched) switch
            {
                (null, 0) => $"{days}没有{what}。",
                (null, _) => $"{days}有 {matched} 条{what}：{cite}。",
                (_, 0) => $"{q.Client} {days}没有写{what}。",
                _ => $"{q.Client} {days}写了 {matched} 条{what}：{cite}。",
            };
        }
        else
        {
            var days = q.Days is null ? "in all" : q.Days.English;
            var what = (matched == 1 ? "note" : "notes") + (q.Word is null ? "" : $" containing \"{q.Word}\"");
            text = (q.Client, matched) switch
            {
                (null, 0) => $"No {what} {days}.",
                (null, _) => $"{matched} {what} {days}: {cite}.",
                (_, 0) => $"{q.Client} wrote no {what} {days}.",
                _ => $"{q.Client} wrote {matched} {what} {days}: {cite}.",
            };
        }
        return new BotAnswer(text, seqs);
    }

    private BotAnswer TopWriter(Asked q)
    {
        List<(string Client, ulong Notes)> ranking;
        if (q.Days is null)
        {
            ranking = [.. _journal.Clients().Where(c => c.Name != BotOptions.ClientName).OrderByDescending(c => c.NoteCount).Select(c => (c.Name, c.NoteCount))];
        }
        else
        {
            var notes = _journal.ReadBefore(q.Filter(withWord: false), q.Before, JournalLookup.MaxScan);
            ranking = [.. notes.Where(n => n.Origin != NoteOrigin.Bot).GroupBy(n => n.Client)
                .Select(g => (g.Key, (ulong)g.LongCount())).OrderByDescending(c => c.Item2)];
        }
        var days = q.Days?.Say(q.Chinese) ?? (q.Chinese ? "总共" : "in all");
        if (ranking.Count == 0) return BotAnswer.Plain(q.Chinese ? $"{days}没有人写笔记。" : $"Nobody wrote notes {days}.");
        var top = ranking[0];
        var latest = _journal.Latest(q.Filter(withWord: false) with { Client = top.Client }, CiteInText, q.Before).Select(n => n.Seq).Reverse().ToArray();
        var others = string.Join(q.Chinese ? "，" : ", ", ranking.Skip(1).Take(2).Select(c => $"{c.Client} ({c.Notes})"));
        var cite = Cite(latest, top.Notes, q.Chinese);
        var text = q.Chinese
            ? $"{days}写得最多的是 {top.Client}，{top.Notes} 条（{cite}）" + (others.Length > 0 ? $"；其次是 {others}。" : "。")
            : $"Most notes {days}: {top.Client}, {top.Notes} ({cite})" + (others.Length > 0 ? $"; then {others}." : ".");
        return new BotAnswer(text, latest);
    }

    private BotAnswer Last(Asked q, bool when)
    {
        var note = _journal.Latest(q.Filter(withWord: false), 1, q.Before).FirstOrDefault();
        var who = q.Client;
        if (note is null)
        {
            var days = q.Days is null ? "" : (q.Chinese ? q.Days.Chinese : " " + q.Days.English);
            return BotAnswer.Plain((q.Chinese, who) switch
            {
                (true, null) => $"{days}日志里没有笔记。",
                (true, _) => $"{who} {days}没有写过笔记。",
                (false, null) => $"There are no notes{days}.",
                _ => $"{who} has written no notes{days}.",
            });
        }
        var at = _dates.Format(note.TimeMs);
        var text = (q.Chinese, when, who) switch
        {
            (true, true, null) => $"最后一条笔记是 {note.Client} 在 {at} 写的（#{note.Seq}）。",
            (true, true, _) => $"{who} 最后一次写是在 {at}（#{note.Seq}）。",
            (true, false, null) => $"最后一条笔记是 #{note.Seq}，{note.Client} 写于 {at}：{Quote(note.Text, true)}。",
            (true, false, _) => $"{who} 的最后一条笔记是 #{note.Seq}（{at}）：{Quote(note.Text, true)}。",
            (false, true, null) => $"The last note was written by {note.Client} at {at} (#{note.Seq}).",
            (false, true, _) => $"{who} last wrote at {at} (#{note.Seq}).",
            (false, false, null) => $"The last note is #{note.Seq}, by {note.Client} at {at}: {Quote(note.Text, false)}.",
            _ => $"{who}'s last note is #{note.Seq} ({at}): {Quote(note.Text, false)}.",
        };
        return new BotAnswer(text, [note.Seq]);
    }

    /// <summary>The notes a question asks to see (by someone, on some days, containing a word): how many, and the latest few quoted.</summary>
    private BotAnswer List(Asked q)
    {
        var (matched, latest) = _journal.CountAndLatest(q.Filter(), ListInText, q.Before);
        var seqs = latest.Select(n => n.Seq).Reverse().ToArray();
        var days = q.Days?.Say(q.Chinese);
        string head;
        if (q.Chinese)
        {
            var what = q.Word is null ? "笔记" : $"包含“{q.Word}”的笔记";
            head = (q.Client, matched) switch
            {
                (null, 0) => $"{days}没有{what}。",
                (null, _) => $"{days}有 {matched} 条{what}",
                (_, 0) => $"{q.Client} {days}没有写{what}。",
                _ => $"{q.Client} {days}写了 {matched} 条{what}",
            };
        }
        else
        {
            var what = (matched == 1 ? "note" : "notes") + (q.Word is null ? "" : $" containing \"{q.Word}\"");
            var span = days is null ? "" : " " + days;
            head = (q.Client, matched) switch
            {
                (null, 0) => $"No {what}{span}.",
                (null, _) => $"{matched} {what}{span}",
                (_, 0) => $"{q.Client} wrote no {what}{span}.",
                _ => $"{q.Client} wrote {matched} {what}{span}",
            };
        }
        if (matched == 0) return new BotAnswer(head, []);
        var items = latest.Reverse().Select(n => $"#{n.Seq} {(q.Client is null ? n.Client + " " : "")}{_dates.Format(n.TimeMs)} {Quote(n.Text, q.Chinese)}");
        var more = matched - (ulong)latest.Count;
        var text = q.Chinese
            ? $"{head}，最近的：{string.Join("；", items)}" + (more > 0 ? $"；另有 {more} 条更早的。" : "。")
            : $"{head}, latest first: {string.Join("; ", items)}" + (more > 0 ? $"; and {more} earlier." : ".");
        return new BotAnswer(text, seqs);
    }

    /// <summary>What the bot says to a question it has no rule for, with questions it does answer.</summary>
    public static BotAnswer CannotAnswer(bool chinese) => BotAnswer.Plain(chinese
        ? "这个问题我答不了。我能回答关于日志的问题，例如：“今天有多少条笔记”、“本周谁写得最多”、“alice 昨天写了什么”、“包含“牛奶”的笔记”、“alice 的最后一条笔记”、“bob 最后一次什么时候写的”、“11月30日有几条笔记”。"
        : "I can't answer that. I answer questions about the journal, for example: \"how many notes today\", \"who wrote most this week\", "
          + "\"what did alice write yesterday\", \"notes containing milk\", \"last note of alice\", \"when did bob last write\", \"how many notes on 2026-11-30\".");

    /// <summary>"#18, #15, #12 and 4 more" (newest first): the seqs named, and how many more there are.</summary>
    public static string Cite(IReadOnlyList<ulong> seqs, ulong total, bool chinese)
    {
        var named = string.Join(chinese ? "、" : ", ", seqs.Select(s => "#" + s.ToString(CultureInfo.InvariantCulture)));
        var more = total - (ulong)seqs.Count;
        if (more == 0 || seqs.Count == 0) return named;
        return chinese ? $"{named} 及另外 {more} 条" : $"{named} and {more} more";
    }

    /// <summary>A note's text in quotes, cut to 80 characters: a note is data, shown, never taken as part of the answer.</summary>
    private static string Quote(string text, bool chinese)
    {
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        return chinese ? $"“{shown}”" : $"\"{shown}\"";
    }

    /// <summary>
    /// The client a question names: the longest known client name in it, standing as a word (in Chinese text, anywhere);
    /// "I", "me", "my" or 我 mean the asker.
    /// </summary>
    private string? FindClient(BotQuestion question)
    {
        string? best = null;
        foreach (var client in _journal.Clients())
        {
            var name = client.Name;
            if (best is not null && name.Length <= best.Length) continue;
            if (NamedIn(question.Text, name)) best = name;
        }
        if (best is not null) return best;
        return Myself().IsMatch(question.Text) ? question.Asker : null;
    }

    private static bool NamedIn(string text, string name)
    {
        for (var at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var end = at + name.Length;
            var after = end >= text.Length ? ' ' : text[end];
            if (!IsWordChar(before) && !IsWordChar(after)) return true;
        }
        return false;
    }

    // A CJK character next to a name still lets it stand alone: Chinese has no spaces between words.
    private static bool IsWordChar(char c) => (char.IsLetterOrDigit(c) && !BotLanguage.IsChinese(c.ToString())) || c is '_' or '@' or '.' or '-';

    /// <summary>The word a question asks notes to contain: a quoted phrase, or the word after "containing" / 包含.</summary>
    private static string? FindWord(string question)
    {
        if (Quoted().Match(question) is { Success: true } quoted) return quoted.Groups["w"].Value.Trim();
        if (EnglishWord().Match(question) is { Success: true } en) return en.Groups["w"].Value;
        if (ChineseWord().Match(question) is { Success: true } zh) return zh.Groups["w"].Value;
        return null;
    }

    [GeneratedRegex(@"[""“「『'‘](?<w>[^""”」』'’]+)[""”」』'’]")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(?:containing|contains|contain|mentioning|mentions|mention|matching|with the word)\s+(?<w>[^\s?!.,;:]+)", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"(?:包含|含有|提到|提及)\s*(?<w>[^\s的？?，,。！!]+)")]
    private static partial Regex ChineseWord();

    [GeneratedRegex(@"\b(?:I|me|my)\b|我", RegexOptions.IgnoreCase)]
    private static partial Regex Myself();
}
