using System.Runtime.InteropServices;

namespace NetJournal.Bench.Infra;

/// <summary>
/// When the benchmark is ended early (Ctrl-C, SIGTERM from `timeout`), stops the servers it started and deletes its
/// temp folders. The runtime does not run ProcessExit on SIGTERM by itself, hence the signal handlers.
/// </summary>
internal static class Cleanup
{
    private static readonly List<PosixSignalRegistration> Registrations = [];

    public static void Install()
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            Registrations.Add(PosixSignalRegistration.Create(signal, _ => Run()));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run();
    }

    private static void Run()
    {
        ServerProcess.KillLeftovers();
        Rsyslog.KillLeftovers();
        WriterProcesses.KillLeftovers();
        BoundedProcess.KillLeftovers();
        NamespaceDaemon.KillLeftovers();
        LossyPath.DeleteLeftovers();
        RepoPaths.DeleteLeftovers();
    }
}
