using System.Text;
using System.Text.RegularExpressions;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server.Bot;

/// <summary>
/// Picks the notes a model is given with a question, as the built-in bot would look them up: the notes of the days
/// the question names, notes containing its words (for Chinese, each pair of characters), then the latest notes;
/// never the question itself or anything after it, at most <see cref="MaxNotes"/> notes and <see cref="MaxBytes"/>
/// bytes of text, returned in seq order.
/// </summary>
public sealed partial class NoteRetrieval(IJournalStore store, QuestionDates dates)
{
    public const int MaxNotes = 60;
    public const int MaxBytes = 24 * 1024;
    private const int PerWord = 10;
    private const int MaxWords = 8;

    private readonly JournalLookup _journal = new(store);

    public IReadOnlyList<Note> For(BotQuestion question)
    {
        var picked = new Dictionary<ulong, Note>();
        var bytes = 0;
        bool Take(IEnumerable<Note> notes)
        {
            foreach (var note in notes.Reverse())
            {
                if (picked.Count >= MaxNotes) return false;
                if (picked.ContainsKey(note.Seq)) continue;
                var size = Encoding.UTF8.GetByteCount(note.Text) + Encoding.UTF8.GetByteCount(note.Client) + 48;
                if (bytes + size > MaxBytes) return false;
                picked.Add(note.Seq, note);
                bytes += size;
            }
            return true;
        }
        var full = false;
        if (dates.Find(question.Text) is { } days)
            full = !Take(_journal.Latest(new HistoryFilter(SinceMs: days.SinceMs, UntilMs: days.UntilMs), MaxNotes / 2, question.Seq));
        foreach (var word in Words(question.Text))
        {
            if (full) break;
            full = !Take(_journal.Latest(new HistoryFilter(Grep: word), PerWord, question.Seq));
        }
        if (!full) Take(_journal.Latest(HistoryFilter.None, MaxNotes, question.Seq));
        return [.. picked.Values.OrderBy(n => n.Seq)];
    }

    /// <summary>The words worth searching for: 3 letters or more and not a common English word; pairs of characters of a Chinese run.</summary>
    public static IReadOnlyList<string> Words(string question)
    {
        var words = new List<string>();
        foreach (Match m in Word().Matches(question))
        {
            var word = m.Value;
            if (BotLanguage.IsChinese(word))
            {
                for (var i = 0; i + 2 <= word.Length; i++) Add(word.Substring(i, 2));
            }
            else if (word.Length >= 3 && !Common.Contains(word))
            {
                Add(word);
            }
        }
        return words;

        void Add(string word)
        {
            if (words.Count < MaxWords && !words.Contains(word, StringComparer.OrdinalIgnoreCase) && !CommonChinese.Contains(word)) words.Add(word);
        }
    }

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "what", "who", "when", "where", "which", "how", "many", "much", "did", "does", "has", "have", "was", "were",
        "are", "note", "notes", "wrote", "write", "written", "about", "today", "yesterday", "this", "that", "week", "with", "for",
        "from", "last", "most", "any", "all", "there", "their", "they", "you", "can", "tell", "please", "journal",
    };

    private static readonly HashSet<string> CommonChinese = ["今天", "昨天", "本周", "这周", "多少", "笔记", "什么", "写了", "一条", "谁写", "最多", "的笔", "了什", "有多", "少条"];

    [GeneratedRegex(@"[\p{L}\p{N}_@.-]+")]
    private static partial Regex Word();
}
