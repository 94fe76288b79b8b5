using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>Per-client totals for `netjournal clients`, kept up to date as notes are stored. Thread-safe.</summary>
public sealed class ClientDirectory
{
    // Mutable per-client totals: updated in place once per stored note, copied out only when asked for.
    private sealed class Totals(string name, string address, long timeMs)
    {
        public string Name { get; } = name;
        public string LastAddress { get; set; } = address;
        public ulong Notes { get; set; }
        public long FirstMs { get; } = timeMs;
        public long LastMs { get; set; } = timeMs;
    }

    private readonly List<Totals> _clients = [];
    private readonly Dictionary<string, Totals> _byName = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _clients.Count; } }

    public void Record(string client, string address, long timeMs)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(client, out var c))
            {
                c = new Totals(client, address, timeMs);
                _byName.Add(client, c);
                _clients.Add(c);
            }
            c.LastAddress = address;
            c.Notes++;
            c.LastMs = timeMs;
        }
    }

    /// <summary>Clients in order of their first note, from position <paramref name="start"/>.</summary>
    public IReadOnlyList<ClientSummary> Snapshot(int start = 0)
    {
        lock (_gate)
        {
            var result = new List<ClientSummary>(Math.Max(0, _clients.Count - start));
            for (var i = start; i < _clients.Count; i++)
            {
                var c = _clients[i];
                result.Add(new ClientSummary(c.Name, c.LastAddress, c.Notes, c.FirstMs, c.LastMs));
            }
            return result;
        }
    }
}
