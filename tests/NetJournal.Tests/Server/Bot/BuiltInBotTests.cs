using NetJournal.Protocol;
using NetJournal.Server.Bot;
using NetJournal.Storage;
using NetJournal.Tests.Storage;
using NodaTime;

namespace NetJournal.Tests.Server.Bot;

/// <summary>
/// The built-in bot against a journal in memory, on Wednesday 2026-12-02 10:00 in Shanghai: each kind of question in
/// English and in Chinese, answered in the question's language with the seqs it used.
/// </summary>
public sealed class BuiltInBotTests : IDisposable
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private readonly FakeTimeProvider _time = new(At(2026, 11, 28, 9, 0));
    private readonly MemoryJournalStore _store;
    private readonly BuiltInBot _bot;

    public BuiltInBotTests()
    {
        _store = new MemoryJournalStore(_time);
        Write(At(2026, 11, 28, 9, 0), "bob", "buy milk");              // #1, last week (Saturday)
        Write(At(2026, 11, 30, 20, 0), "alice", "read a book");        // #2, Monday
        Write(At(2026, 12, 1, 8, 0), "bob", "牛奶 and milk tea");      // #3, yesterday
        Write(At(2026, 12, 2, 8, 0), "alice", "早上好");               // #4, today
        Write(At(2026, 12, 2, 8, 30), "bob", "call mom");              // #5, today
        Write(At(2026, 12, 2, 9, 0), "alice", "standup notes");        // #6, today
        _time.Now = At(2026, 12, 2, 10, 0);
        _bot = new BuiltInBot(_store, _time, Shanghai);
    }

    public void Dispose() => _store.Dispose();

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private void Write(DateTimeOffset at, string client, string text)
    {
        _time.Now = at;
        var results = new NoteResult[1];
        Assert.Null(_store.Commit([new PendingNote(client, "10.0.0.2:40000", text, NoteOrigin.Native)], results));
        Assert.Equal(NoteStatus.Stored, results[0].Status);
    }

    private BotAnswer Ask(string question, string asker = "carol") => _bot.Answer(new BotQuestion(question, asker, 99, 0));

    [Theory]
    [InlineData("how many notes today", "3 notes today: #6, #5, #4.", new ulong[] { 6, 5, 4 })]
    [InlineData("How many notes this week?", "5 notes this week: #6, #5, #4 and 2 more.", new ulong[] { 6, 5, 4 })]
    [InlineData("how many notes on 2026-11-28", "1 note on 2026-11-28: #1.", new ulong[] { 1 })]
    [InlineData("how many notes yesterday", "1 note yesterday: #3.", new ulong[] { 3 })]
    [InlineData("how many notes did bob write today", "bob wrote 1 note today: #5.", new ulong[] { 5 })]
    [InlineData("how many notes contain milk", "2 notes containing \"milk\" in all: #3, #1.", new ulong[] { 3, 1 })]
    [InlineData("今天有多少条笔记", "今天有 3 条笔记：#6、#5、#4。", new ulong[] { 6, 5, 4 })]
    [InlineData("本周有几条笔记？", "本周有 5 条笔记：#6、#5、#4 及另外 2 条。", new ulong[] { 6, 5, 4 })]
    [InlineData("11月30日有几条笔记", "2026-11-30有 1 条笔记：#2。", new ulong[] { 2 })]
    [InlineData("昨天有多少条笔记", "昨天有 1 条笔记：#3。", new ulong[] { 3 })]
    public void How_many_notes_counts_the_days_asked_and_cites_the_latest(string question, string answer, ulong[] cited)
    {
        var reply = Ask(question);
        Assert.Equal(answer, reply.Text);
        Assert.Equal(cited, reply.Cited);
    }

    [Fact]
    public void I_and_me_mean_the_asker()
    {
        Assert.Equal("alice wrote 2 notes today: #6, #4.", Ask("how many notes did I write today", asker: "alice").Text);
        Assert.Equal("alice 今天写了 2 条笔记：#6、#4。", Ask("我今天写了几条笔记", asker: "alice").Text);
    }

    [Theory]
    [InlineData("who wrote most this week", "Most notes this week: alice, 3 (#6, #4, #2); then bob (2).")]
    [InlineData("who wrote the most today?", "Most notes today: alice, 2 (#6, #4); then bob (1).")]
    [InlineData("who wrote most", "Most notes in all: bob, 3 (#5, #3, #1); then alice (3).")]
    [InlineData("本周谁写得最多", "本周写得最多的是 alice，3 条（#6、#4、#2）；其次是 bob (2)。")]
    [InlineData("今天谁写的最多？", "今天写得最多的是 alice，2 条（#6、#4）；其次是 bob (1)。")]
    public void Who_wrote_most_ranks_the_writers_of_the_days_asked(string question, string answer)
    {
        Assert.Equal(answer, Ask(question).Text);
    }

    [Theory]
    [InlineData("what did bob write yesterday", "bob wrote 1 note yesterday, latest first: #3 2026-12-01 08:00 \"牛奶 and milk tea\".")]
    [InlineData("What did alice write today?", "alice wrote 2 notes today, latest first: #6 2026-12-02 09:00 \"standup notes\"; #4 2026-12-02 08:00 \"早上好\".")]
    [InlineData("bob 昨天写了什么", "bob 昨天写了 1 条笔记，最近的：#3 2026-12-01 08:00 “牛奶 and milk tea”。")]
    [InlineData("alice 11月30日写了什么？", "alice 2026-11-30写了 1 条笔记，最近的：#2 2026-11-30 20:00 “read a book”。")]
    public void What_someone_wrote_on_a_day_quotes_the_notes(string question, string answer)
    {
        Assert.Equal(answer, Ask(question).Text);
    }

    [Theory]
    [InlineData("notes containing milk", "2 notes containing \"milk\", latest first: #3 bob 2026-12-01 08:00 \"牛奶 and milk tea\"; #1 bob 2026-11-28 09:00 \"buy milk\".", new ulong[] { 3, 1 })]
    [InlineData("which notes mention \"standup\"?", "1 note containing \"standup\", latest first: #6 alice 2026-12-02 09:00 \"standup notes\".", new ulong[] { 6 })]
    [InlineData("包含“牛奶”的笔记", "有 1 条包含“牛奶”的笔记，最近的：#3 bob 2026-12-01 08:00 “牛奶 and milk tea”。", new ulong[] { 3 })]
    [InlineData("提到 coffee 的笔记", "没有包含“coffee”的笔记。", new ulong[0])]
    public void Notes_containing_a_word_are_found_case_insensitively(string question, string answer, ulong[] cited)
    {
        var reply = Ask(question);
        Assert.Equal(answer, reply.Text);
        Assert.Equal(cited, reply.Cited);
    }

    [Theory]
    [InlineData("last note of bob", "bob's last note is #5 (2026-12-02 08:30): \"call mom\".")]
    [InlineData("what is the latest note?", "The last note is #6, by alice at 2026-12-02 09:00: \"standup notes\".")]
    [InlineData("bob 的最后一条笔记", "bob 的最后一条笔记是 #5（2026-12-02 08:30）：“call mom”。")]
    [InlineData("when did alice last write", "alice last wrote at 2026-12-02 09:00 (#6).")]
    [InlineData("When did bob write last?", "bob last wrote at 2026-12-02 08:30 (#5).")]
    [InlineData("alice 最后一次什么时候写的", "alice 最后一次写是在 2026-12-02 09:00（#6）。")]
    [InlineData("bob 什么时候写的最后一条？", "bob 最后一次写是在 2026-12-02 08:30（#5）。")]
    public void The_last_note_and_when_someone_last_wrote_name_the_note(string question, string answer)
    {
        Assert.Equal(answer, Ask(question).Text);
    }

    [Theory]
    [InlineData("what is the weather like", false)]
    [InlineData("tell me a joke", false)]
    [InlineData("今天天气怎么样", true)]
    public void A_question_it_has_no_rule_for_is_said_plainly_with_examples(string question, bool chinese)
    {
        var reply = Ask(question);
        Assert.Empty(reply.Cited);
        if (chinese)
        {
            Assert.StartsWith("这个问题我答不了。", reply.Text);
            Assert.Contains("今天有多少条笔记", reply.Text);
        }
        else
        {
            Assert.StartsWith("I can't answer that.", reply.Text);
            Assert.Contains("how many notes today", reply.Text);
        }
    }

    [Fact]
    public void An_empty_journal_says_so_rather_than_citing_nothing()
    {
        using var empty = new MemoryJournalStore(_time);
        var bot = new BuiltInBot(empty, _time, Shanghai);
        Assert.Equal("No notes today.", bot.Answer(new BotQuestion("how many notes today", "x", 1, 0)).Text);
        Assert.Equal("今天没有笔记。", bot.Answer(new BotQuestion("今天有多少条笔记", "x", 1, 0)).Text);
        Assert.Equal("Nobody wrote notes this week.", bot.Answer(new BotQuestion("who wrote most this week", "x", 1, 0)).Text);
    }

    [Fact]
    public void Citations_name_three_seqs_then_how_many_more()
    {
        Assert.Equal("#9, #8, #7 and 12 more", BuiltInBot.Cite([9, 8, 7], 15, chinese: false));
        Assert.Equal("#9、#8、#7 及另外 12 条", BuiltInBot.Cite([9, 8, 7], 15, chinese: true));
        Assert.Equal("#4", BuiltInBot.Cite([4], 1, chinese: false));
    }
}
