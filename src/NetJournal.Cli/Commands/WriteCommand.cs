using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal write`: one note from the arguments, or one note per line of standard input, pipelined.</summary>
public sealed class WriteCommand : Command
{
    /// <summary>Declares the note's words and the --stats options, and the action that writes.</summary>
    public WriteCommand(GlobalOptions global, CliContext context)
        : base("write", "Store one note (the words given) or one note per line of standard input")
    {
        Arguments.Add(Text);
        Options.Add(Stats);
        Options.Add(StatsJson);
        global.AddTo(this);
        SetAction(async (parse, ct) =>
        {
            if (OptionLikeWord(parse, Text) is { } option)
            {
                await context.Error.WriteLineAsync($"netjournal: {Messages.UnknownOption(option)}").ConfigureAwait(false);
                return 2;
            }
            var stats = parse.GetValue(StatsJson) ? OutputFormat.Json : parse.GetValue(Stats) ? OutputFormat.Text : (OutputFormat?)null;
            return await global.RunWithClientAsync(parse, context, client => RunAsync(client, parse.GetValue(Text) ?? [], stats, context, ct)).ConfigureAwait(false);
        });
    }

    public Argument<string[]> Text { get; } = new("text") { Description = "The note; without it, every line of standard input is one note", Arity = ArgumentArity.ZeroOrMore };
    public Option<bool> Stats { get; } = new("--stats") { Description = "After writing, print to standard error the rate, retransmissions and acknowledgement latency (median, p90, p99, p99.9, max)" };
    public Option<bool> StatsJson { get; } = new("--stats-json") { Description = "The same as one JSON object, with the latency buckets (for adding up several writers)" };

    /// <summary>Writes the notes; 0 when every one was stored, 1 otherwise (each failure said on standard error).</summary>
    private static async Task<int> RunAsync(JournalClient client, string[] words, OutputFormat? stats, CliContext context, CancellationToken cancellationToken)
    {
        var fromArgs = words.Length > 0;
        var skipped = new SkippedLines();
        Action<NoteOutcome> report = outcome =>
        {
            var line = outcome.Line > 0 ? outcome.Line : skipped.LineOf(outcome.Index);
            if (outcome.Repaired) context.Error.WriteLine(Messages.LineRepaired(line));
            // Notes left unanswered are counted in the summary below, which says why; a line each would only repeat it.
            if (outcome.IsStored || outcome.Unanswered) return;
            var reason = outcome.Describe();
            context.Error.WriteLine(fromArgs ? Messages.NotStored(reason) : Messages.LineNotStored(line, reason));
        };
        // Piped input goes to the client as bytes, line by line, without a string per note.
        var summary = !fromArgs && context.In is StreamReader { CurrentEncoding: System.Text.UTF8Encoding } piped
            ? await client.WriteAsync(piped.BaseStream, report, cancellationToken).ConfigureAwait(false)
            : await client.WriteAsync(fromArgs ? One(string.Join(' ', words)) : Lines(context.In, skipped, cancellationToken), report, cancellationToken).ConfigureAwait(false);
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
    internal static string? OptionLikeWord(ParseResult parse, Argument<string[]> words)
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

    /// <summary>Every line is a note; empty and blank lines are skipped, as the interactive session skips them.</summary>
    private static async IAsyncEnumerable<string> Lines(TextReader input, SkippedLines skipped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long notes = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                skipped.Skip(notes);
                continue;
            }
            notes++;
            yield return line;
        }
    }

    /// <summary>Where blank lines were skipped, so a note's number can be told as its input line.</summary>
    private sealed class SkippedLines
    {
        private readonly List<long> _before = [];

        public void Skip(long notesSoFar)
        {
            lock (_before) _before.Add(notesSoFar);
        }

        public long LineOf(long index)
        {
            lock (_before)
            {
                // Blank lines skipped before note `index` are those recorded when at most `index` notes had been read.
                var (lo, hi) = (0, _before.Count);
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (_before[mid] <= index) lo = mid + 1;
                    else hi = mid;
                }
                return index + 1 + lo;
            }
        }
    }
}
