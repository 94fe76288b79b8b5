namespace NetJournal.Storage;

/// <summary>Interns the few distinct client names and addresses so the index holds small ids. Thread-safe.</summary>
public sealed class StringTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _values.Count; } }

    public int Intern(string value)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue(value, out var id)) return id;
            id = _values.Count;
            _values.Add(value);
            _ids.Add(value, id);
            return id;
        }
    }

    public string this[int id] { get { lock (_gate) return _values[id]; } }

    public bool TryGetId(string value, out int id)
    {
        lock (_gate) return _ids.TryGetValue(value, out id);
    }

    /// <summary>The ids of every value the predicate accepts.</summary>
    public HashSet<int> Where(Func<string, bool> predicate)
    {
        var result = new HashSet<int>();
        lock (_gate)
        {
            for (var i = 0; i < _values.Count; i++)
                if (predicate(_values[i])) result.Add(i);
        }
        return result;
    }
}
