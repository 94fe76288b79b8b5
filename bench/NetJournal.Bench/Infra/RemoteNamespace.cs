using System.Diagnostics;
using System.Net;

namespace NetJournal.Bench.Infra;

/// <summary>
/// A network namespace joined to this one by a veth pair (link-local /30): a process started in it reaches a server
/// of this namespace over a real interface, not loopback, so the client sizes its datagrams as on another machine
/// (1,232 bytes). Deleting the namespace deletes the pair. Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and iproute2.
/// </summary>
internal sealed class RemoteNamespace : IDisposable
{
    private RemoteNamespace(string id)
    {
        Name = $"njbench-{id}";
        var subnet = Random.Shared.Next(1, 255);
        HostAddress = IPAddress.Parse($"169.254.{subnet}.1");
        RemoteAddress = IPAddress.Parse($"169.254.{subnet}.2");
        HostDevice = $"njh-{id}";
    }

    public string Name { get; }
    public IPAddress HostAddress { get; }
    public IPAddress RemoteAddress { get; }
    private string HostDevice { get; }

    public static RemoteNamespace Create()
    {
        var ns = new RemoteNamespace(Guid.NewGuid().ToString("n")[..8]);
        var (code, error) = Run("ip", "netns", "add", ns.Name);
        if (code != 0)
            throw new InvalidOperationException($"`ip netns add` failed (exit {code}: {error.Trim()}): the remote benchmark needs root and iproute2");
        try
        {
            const string peer = "eth0";
            Must("ip", "link", "add", ns.HostDevice, "type", "veth", "peer", "name", peer, "netns", ns.Name);
            Must("ip", "addr", "add", ns.HostAddress + "/30", "dev", ns.HostDevice);
            Must("ip", "link", "set", ns.HostDevice, "up");
            Must("ip", "-n", ns.Name, "addr", "add", ns.RemoteAddress + "/30", "dev", peer);
            Must("ip", "-n", ns.Name, "link", "set", peer, "up");
            Must("ip", "-n", ns.Name, "link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>`ip netns exec NAME /bin/sh -c SCRIPT sh ARGS...`: the script sees the arguments as $1, $2, ...</summary>
    public ProcessStartInfo Shell(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "netns", "exec", Name, "/bin/sh", "-c", script, "sh" }.Concat(arguments)) info.ArgumentList.Add(arg);
        return info;
    }

    public void Dispose() => Run("ip", "netns", "del", Name);

    private static void Must(params string[] command)
    {
        var (code, error) = Run(command);
        if (code != 0) throw new InvalidOperationException($"`{string.Join(' ', command)}` failed (exit {code}): {error.Trim()}");
    }

    private static (int Code, string Error) Run(params string[] command) => SystemCommand.Run(command);
}
