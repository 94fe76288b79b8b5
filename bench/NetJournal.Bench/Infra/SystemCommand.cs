using System.Diagnostics;

namespace NetJournal.Bench.Infra;

/// <summary>iproute2, nftables and the like, run by the benchmarks that set up network namespaces.</summary>
internal static class SystemCommand
{
    /// <summary>Runs a system command to its end; its exit code (127 when it cannot be started) and standard error.</summary>
    public static (int Code, string Error) Run(params string[] command) => RunWithInput(null, command);

    /// <summary>The same, with <paramref name="input"/> (when not null) written to its standard input.</summary>
    public static (int Code, string Error) RunWithInput(string? input, params string[] command)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = input is not null,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info)!;
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, e.Message);
        }
    }
}
