using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal write`: one note from the arguments, or one note per line of standard input, pipelined.</summary>
public static class WriteCommand
{
    public static async Task<int> RunAsync(JournalClient client, string[] words, CliContext context, CancellationToken cancellationToken, OutputFormat? stats = null)
    {
        var fromArgs = words.Length > 0;
        Action<NoteOutcome> report = outcome =>
        {
            // Notes left unanswered are counted in the summary below, which says why; a line each would only repeat it.
            if (outcome.IsStored || outcome.Unanswered) return;
            var reason = outcome.Describe();
            context.Error.WriteLine(fromArgs ? Messages.NotStored(reason) : Messages.LineNotStored(outcome.Index + 1, reason));
        };
        // Piped input goes to the client as bytes, line by line, without a string per note.
        var summary = !fromArgs && context.In is StreamReader { CurrentEncoding: System.Text.UTF8Encoding } piped
            ? await client.WriteAsync(piped.BaseStream, report, cancellationToken).ConfigureAwait(false)
            : await client.WriteAsync(fromArgs ? One(string.Join(' ', words)) : Lines(context.In, cancellationToken), report, cancellationToken).ConfigureAwait(false);
        if (stats is { } format) context.Error.WriteLine(format == OutputFormat.Json ? WriteStats.Json(summary) : WriteStats.Text(summary));
        var total = summary.Stored + summary.NotStored;
        if (summary.NotStored > 0)
        {
            if (summary.Unanswered > 0) context.Error.WriteLine(client.Unavailable().Message);
            context.Error.WriteLine(Messages.WriteFailed(summary.NotStored, total));
            return 1;
        }
        if (!fromArgs || context.OutputIsTerminal) context.Error.WriteLine(Messages.WriteDone(summary.Stored));
        return 0;
    }

    /// <summary>
    /// The first word before any <c>--</c> that looks like an option, or null. The words argument takes every token an
    /// option does not, so a mistyped option (<c>--stast</c>) would otherwise be stored as the note's text.
    /// </summary>
    public static string? OptionLikeWord(ParseResult parse, Argument<string[]> words)
    {
        if (parse.GetResult(words) is not { Tokens.Count: > 0 } result) return null;
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) return null;
            if (token.Value.Length > 1 && token.Value[0] == '-' && result.Tokens.Any(t => ReferenceEquals(t, token))) return token.Value;
        }
        return null;
    }

    private static async IAsyncEnumerable<string> One(string note)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return note;
    }

    /// <summary>Every line is a note; empty lines are skipped (a note holds at least one byte).</summary>
    private static async IAsyncEnumerable<string> Lines(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }
}
