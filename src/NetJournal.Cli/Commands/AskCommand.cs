using System.CommandLine;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal ask QUESTION...`: asks the server's bot; the answer on standard output. The question and the answer
/// are both stored in the journal (as the asker's note <c>@bot QUESTION</c> and a note of the client <c>bot</c>).
/// </summary>
public sealed class AskCommand : Command
{
    /// <summary>Declares the question's words, the client options and the action that asks.</summary>
    public AskCommand(GlobalOptions global, CliContext context)
        : base("ask", "Ask the server's bot a question about the journal; the answer is printed and stored as a note of client bot")
    {
        Arguments.Add(Question);
        global.AddTo(this);
        SetAction(async (parse, ct) =>
        {
            if (WriteCommand.OptionLikeWord(parse, Question) is { } option)
            {
                await context.Error.WriteLineAsync($"netjournal: {Messages.UnknownOption(option)}").ConfigureAwait(false);
                return 2;
            }
            var question = string.Join(' ', parse.GetValue(Question) ?? []).Trim();
            if (Messages.QuestionProblem(question) is { } problem)
            {
                await context.Error.WriteLineAsync($"netjournal: {problem}").ConfigureAwait(false);
                return 2;
            }
            return await global.RunWithClientAsync(parse, context, client => RunAsync(client, question, context, ct)).ConfigureAwait(false);
        });
    }

    public Argument<string[]> Question { get; } = new("question")
    {
        Description = "The question, in English or Chinese (\"how many notes today\", \"本周谁写得最多\")",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Asks, prints the answer on <see cref="CliContext.Out"/>, and returns 0.</summary>
    internal static async Task<int> RunAsync(JournalClient client, string question, CliContext context, CancellationToken cancellationToken)
    {
        var reply = await client.AskAsync(question, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(reply.Answer).ConfigureAwait(false);
        if (reply.AnswerSeq == 0) await context.Error.WriteLineAsync(Messages.AnswerNotStored).ConfigureAwait(false);
        return 0;
    }
}
