namespace NetJournal.Testing;

/// <summary>Resident memory of a process from /proc/PID/status, in MiB: now (VmRSS) and at its highest (VmHWM).</summary>
public readonly record struct MemorySample(double RssMiB, double HwmMiB);
