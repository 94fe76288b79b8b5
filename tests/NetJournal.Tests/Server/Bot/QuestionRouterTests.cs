using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Server.Bot;
using NetJournal.Storage;

namespace NetJournal.Tests.Server.Bot;

/// <summary>
/// Questions on their way to the bot and back, through a real server on loopback and a real client: a server without a
/// bot says so, the bot's queue per source is bounded, and notes are stored while the bot is busy.
/// </summary>
public sealed class QuestionRouterTests
{
    /// <summary>A bot that answers only when the test lets it.</summary>
    private sealed class HeldBot : IJournalBot
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<BotAnswer> AnswerAsync(BotQuestion question, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return new BotAnswer($"done: {question.Text} (asked by {question.Asker} as #{question.Seq})", [question.Seq]);
        }
    }

    private static (JournalServer Server, JournalClient Client) Start(BotOptions? bot)
    {
        var server = new JournalServer(new JournalServerOptions { Bind = IPAddress.Loopback, Port = 0, OpenStore = time => new MemoryJournalStore(time), Bot = bot });
        server.Start();
        return (server, new JournalClient(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), new JournalClientOptions { Name = "ann" }));
    }

    [Fact]
    public async Task A_server_without_a_bot_refuses_the_question_and_stores_nothing()
    {
        var (server, client) = Start(bot: null);
        await using (server)
        await using (client)
        {
            var refusal = await Assert.ThrowsAsync<JournalRequestException>(() => client.AskAsync("how many notes today", TestContext.Current.CancellationToken));
            Assert.Equal(ErrorCode.UnknownMessage, refusal.Code);
            Assert.Contains("no bot", refusal.Message);
            Assert.Equal(0, server.Store.NoteCount);
        }
    }

    [Fact]
    public async Task A_source_with_too_many_unanswered_questions_is_told_the_bot_is_busy_and_notes_are_stored_meanwhile()
    {
        var bot = new HeldBot();
        var (server, client) = Start(new BotOptions { Create = (_, _) => bot, MaxPendingPerSource = 1 });
        await using (server)
        await using (client)
        {
            var first = client.AskAsync("first question", TestContext.Current.CancellationToken);
            await bot.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            var busy = await Assert.ThrowsAsync<JournalRequestException>(() => client.AskAsync("second question", TestContext.Current.CancellationToken));
            Assert.Equal(ErrorCode.BotBusy, busy.Code);
            Assert.True((await client.WriteAsync("stored while the bot works", TestContext.Current.CancellationToken)).IsStored);
            Assert.False(first.IsCompleted);

            bot.Release.SetResult();
            var reply = await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal("done: first question (asked by ann as #1)", reply.Answer);
            Assert.Equal((1UL, 3UL), (reply.QuestionSeq, reply.AnswerSeq));
            Assert.Equal([1UL], reply.Cited);
            var notes = server.Store.ReadPage(HistoryFilter.None, 0, 0, 1 << 20).Notes;
            Assert.Equal(["@bot first question", "stored while the bot works", reply.Answer], notes.Select(n => n.Text));
            Assert.Equal([NoteOrigin.Native, NoteOrigin.Native, NoteOrigin.Bot], notes.Select(n => n.Origin));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\nlines")]
    public async Task A_bad_question_is_refused_before_it_is_sent(string question)
    {
        var (server, client) = Start(new BotOptions());
        await using (server)
        await using (client)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.AskAsync(question, TestContext.Current.CancellationToken));
            Assert.Equal(0, server.Store.NoteCount);
        }
    }

    [Theory]
    [InlineData("@bot how many notes today", true)]
    [InlineData("@BOT 今天有多少条笔记", true)]
    [InlineData("@bot ", false)]
    [InlineData("@bottle of milk", false)]
    [InlineData("hello @bot how", false)]
    public void A_note_asks_the_bot_when_it_starts_with_at_bot_and_a_question(string text, bool asks)
    {
        Assert.Equal(asks, QuestionRouter.IsQuestion(text));
    }
}
