using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NetJournal.Bench.Infra;

/// <summary>
/// Two network namespaces of their own, a server side and a client side, joined by a veth pair (link-local /30), with
/// an nftables table in each that drops a share of the UDP and TCP packets arriving there. Both directions lose the
/// same share, each on arrival: the sender's kernel has sent the packet and never learns of its loss, as on a real
/// network (a drop in the sender's own output hook would fail its send with EPERM, a signal no real network gives).
/// Nothing is added to this machine's own namespace; deleting the namespaces deletes the pair and the tables.
/// Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN), iproute2 and nft.
/// </summary>
internal sealed class LossyPath : IDisposable
{
    /// <summary>Namespaces not deleted yet: deleted if this process is ended early.</summary>
    private static readonly ConcurrentDictionary<string, bool> Live = new();

    private const string Table = "njloss";

    private LossyPath(string id)
    {
        ServerNamespace = $"njloss-s-{id}";
        ClientNamespace = $"njloss-c-{id}";
        var subnet = Random.Shared.Next(1, 255);
        ServerAddress = IPAddress.Parse($"169.254.{subnet}.1");
        ClientAddress = IPAddress.Parse($"169.254.{subnet}.2");
    }

    public string ServerNamespace { get; }
    public string ClientNamespace { get; }
    public IPAddress ServerAddress { get; }
    public IPAddress ClientAddress { get; }

    /// <summary>The share of packets dropped on arrival at each end, in percent (0 until <see cref="SetLoss"/>).</summary>
    public int LossPercent { get; private set; }

    /// <summary>Creates both namespaces and the pair; deletes what it made if a step fails.</summary>
    /// <exception cref="InvalidOperationException">A step failed (not root, no iproute2); the message says which.</exception>
    public static LossyPath Create()
    {
        var path = new LossyPath(Guid.NewGuid().ToString("n")[..8]);
        var (code, error) = Run("ip", "netns", "add", path.ServerNamespace);
        if (code != 0)
            throw new InvalidOperationException($"`ip netns add` failed (exit {code}: {error.Trim()}): the lossy benchmark needs root and iproute2");
        Live[path.ServerNamespace] = true;
        try
        {
            Must("ip", "netns", "add", path.ClientNamespace);
            Live[path.ClientNamespace] = true;
            Must("ip", "-n", path.ServerNamespace, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", path.ClientNamespace);
            foreach (var (ns, address) in new[] { (path.ServerNamespace, path.ServerAddress), (path.ClientNamespace, path.ClientAddress) })
            {
                Must("ip", "-n", ns, "addr", "add", address + "/30", "dev", "eth0");
                Must("ip", "-n", ns, "link", "set", "eth0", "up");
                Must("ip", "-n", ns, "link", "set", "lo", "up");
            }
            path.SetLoss(0);
        }
        catch
        {
            path.Dispose();
            throw;
        }
        return path;
    }

    /// <summary>
    /// Replaces the drop rule at both ends: <paramref name="percent"/>% of the UDP and TCP packets arriving in each
    /// namespace are dropped (nftables `numgen random mod 100 &lt; N drop` in the input hook); 0 removes the rule.
    /// </summary>
    /// <exception cref="InvalidOperationException">nft failed (not installed, no nf_tables); the message says why.</exception>
    public void SetLoss(int percent)
    {
        if (percent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "a loss in percent, 0 to 100");
        var rule = percent == 0 ? "" : $"meta l4proto {{ tcp, udp }} numgen random mod 100 < {percent.ToString(CultureInfo.InvariantCulture)} drop";
        // Deleting and adding in one file is one transaction: the old rule never overlaps the new one.
        var script = $$"""
            table inet {{Table}}
            delete table inet {{Table}}
            table inet {{Table}} {
              chain input {
                type filter hook input priority 0; policy accept;
                {{rule}}
              }
            }
            """;
        foreach (var ns in new[] { ServerNamespace, ClientNamespace })
        {
            var (code, error) = RunWithInput(script, "ip", "netns", "exec", ns, "nft", "-f", "-");
            if (code != 0) throw new InvalidOperationException($"nft in {ns} failed (exit {code}): {error.Trim()}");
        }
        LossPercent = percent;
    }

    /// <summary>`ip netns exec NS /bin/sh -c SCRIPT sh ARGS...` in the client's namespace: the script sees the arguments as $1, $2, ...</summary>
    public ProcessStartInfo ClientShell(string script, params string[] arguments) => Shell(ClientNamespace, script, arguments);

    /// <summary>`ip netns exec NS COMMAND...` in the server's namespace (ip execs the command: its pid is the command's).</summary>
    public ProcessStartInfo ServerCommand(params string[] command)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "netns", "exec", ServerNamespace }.Concat(command)) info.ArgumentList.Add(arg);
        return info;
    }

    private static ProcessStartInfo Shell(string ns, string script, string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "netns", "exec", ns, "/bin/sh", "-c", script, "sh" }.Concat(arguments)) info.ArgumentList.Add(arg);
        return info;
    }

    /// <summary>Deletes both namespaces: the veth pair and the nftables tables go with them.</summary>
    public void Dispose()
    {
        foreach (var ns in new[] { ClientNamespace, ServerNamespace })
        {
            if (!Live.TryRemove(ns, out _)) continue;
            var (code, error) = Run("ip", "netns", "del", ns);
            if (code != 0) Console.Error.WriteLine($"warning: `ip netns del {ns}` failed (exit {code}): {error.Trim()}");
        }
    }

    /// <summary>Deletes every namespace made here and not deleted yet (the benchmark is being ended early).</summary>
    public static void DeleteLeftovers()
    {
        foreach (var ns in Live.Keys)
        {
            Live.TryRemove(ns, out _);
            Run("ip", "netns", "del", ns);
        }
    }

    private static void Must(params string[] command)
    {
        var (code, error) = Run(command);
        if (code != 0) throw new InvalidOperationException($"`{string.Join(' ', command)}` failed (exit {code}): {error.Trim()}");
    }

    private static (int Code, string Error) Run(params string[] command) => SystemCommand.Run(command);

    private static (int Code, string Error) RunWithInput(string? input, params string[] command) => SystemCommand.RunWithInput(input, command);
}
