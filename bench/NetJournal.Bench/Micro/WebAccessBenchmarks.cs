using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;
using NetJournal.Web;

namespace NetJournal.Bench.Micro;

/// <summary>
/// What deciding a web request's rights costs: the open web view (no keys) against a keyed one checking a Bearer token
/// (split, look-up of the name among 100 clients, HMAC-SHA256, constant-time compare), and a refused token. The keyed
/// check runs once per API request and once per batch of live notes on an event stream.
/// </summary>
[MemoryDiagnoser]
public class WebAccessBenchmarks
{
    private readonly DefaultHttpContext _valid = new();
    private readonly DefaultHttpContext _wrong = new();
    private KeyedWebAccess _keyed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clients = Enumerable.Range(0, 100)
            .Select(i => new KeyedClient($"client{i}", ClientKey.Generate(), ClientRights.Write | ClientRights.ReadAll, i + 1))
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        _keyed = new KeyedWebAccess(clients.GetValueOrDefault);
        var client = clients["client42"];
        _valid.Request.Headers.Authorization = "Bearer " + WebToken.Derive(client.Name, client.Key);
        _wrong.Request.Headers.Authorization = "Bearer " + WebToken.Derive(client.Name, ClientKey.Generate());
    }

    [Benchmark]
    public WebRights? Open() => OpenWebAccess.Instance.Authorize(_valid, out _);

    [Benchmark]
    public WebRights? KeyedValidToken() => _keyed.Authorize(_valid, out _);

    [Benchmark]
    public WebRights? KeyedWrongToken() => _keyed.Authorize(_wrong, out _);
}
