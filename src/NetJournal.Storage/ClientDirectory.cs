using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>Per-client totals for `netjournal clients`, kept up to date as notes are stored. Thread-safe.</summary>
public sealed class ClientDirectory
{
    private readonly List<ClientSummary> _clients = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _clients.Count; } }

    public void Record(string client, string address, long timeMs)
    {
        lock (_gate)
        {
            if (_positions.TryGetValue(client, out var i))
            {
                var c = _clients[i];
                _clients[i] = c with { LastAddress = address, NoteCount = c.NoteCount + 1, LastMs = timeMs };
            }
            else
            {
                _positions.Add(client, _clients.Count);
                _clients.Add(new ClientSummary(client, address, 1, timeMs, timeMs));
            }
        }
    }

    /// <summary>Clients in order of their first note, from position <paramref name="start"/>.</summary>
    public IReadOnlyList<ClientSummary> Snapshot(int start = 0)
    {
        lock (_gate)
        {
            return start >= _clients.Count ? [] : _clients.GetRange(start, _clients.Count - start);
        }
    }
}
