using System.Globalization;

namespace NetJournal.Testing;

/// <summary>Reads a Linux process's memory and CPU time from /proc.</summary>
public static class ProcStats
{
    /// <summary>Linux reports utime and stime in USER_HZ ticks, which is 100 on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmRSS and VmHWM of the process; NaN for a field the kernel did not report.</summary>
    /// <exception cref="IOException">The process is gone.</exception>
    public static MemorySample Memory(int pid)
    {
        double rss = double.NaN, hwm = double.NaN;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiBField(line) / 1024;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = KiBField(line) / 1024;
        }
        return new MemorySample(rss, hwm);
    }

    /// <summary>utime + stime of the process, in seconds.</summary>
    /// <exception cref="IOException">The process is gone.</exception>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state); utime is field 14, stime field 15.
        var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    private static double KiBField(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
