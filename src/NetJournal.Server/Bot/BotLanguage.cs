namespace NetJournal.Server.Bot;

/// <summary>Which language a question is in: Chinese when it holds CJK characters, English otherwise.</summary>
public static class BotLanguage
{
    public static bool IsChinese(string text)
    {
        foreach (var c in text)
        {
            // CJK Unified Ideographs and Extension A, CJK punctuation, kana, fullwidth forms.
            if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\u3000' and <= '\u30FF' or >= '\uFF00' and <= '\uFFEF')
                return true;
        }
        return false;
    }
}
