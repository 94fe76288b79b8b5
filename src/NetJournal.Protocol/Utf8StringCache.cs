using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// Strings for UTF-8 bytes that recur: the client name and address of history notes. A million notes come from a
/// few hundred writers, so most notes can share their name and address strings instead of each allocating two.
/// Bounded: when full, it starts over. Not thread-safe. <see cref="NoteView.ToNote"/> takes one.
/// </summary>
/// <param name="capacity">The most strings kept at once.</param>
public sealed class Utf8StringCache(int capacity = 4096)
{
    private readonly Dictionary<int, (byte[] Bytes, string Text)> _entries = [];

    /// <summary>The strings held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8), the same instance as last time when it is still held.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_entries.TryGetValue(key, out var entry) && utf8.SequenceEqual(entry.Bytes)) return entry.Text;
        var text = Encoding.UTF8.GetString(utf8);
        if (_entries.Count >= capacity) _entries.Clear();
        // A different string with the same hash simply takes the slot over.
        _entries[key] = (utf8.ToArray(), text);
        return text;
    }
}
