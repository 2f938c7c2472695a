using System.Diagnostics;
using System.Globalization;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>One <c>mpiexec -n K dotnet hpcgb.dll …</c> started from a test, with its output captured.</summary>
internal sealed class MpiJob : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public MpiJob(int ranks, params string[] arguments)
    {
        var start = new ProcessStartInfo(MpiFactAttribute.Mpiexec!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-n", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", MpiFactAttribute.HpcgbDll, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _process = Process.Start(start)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGTERM to mpiexec, which passes it on to every rank (as a batch system's time limit does).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// A failed job for an assertion message: exit code, stderr and stdout, since Hydra reports a rank that died of a
    /// signal ("BAD TERMINATION", exit code the signal's number) on stdout.
    /// </summary>
    public static string Failure(CliResult result) => $"exit {result.ExitCode}\n{result.Stderr}\n{result.Stdout}";

    /// <summary>Waits for the job (killing it after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public CliResult Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            return new CliResult(-1, _stdout.Result, $"timed out after {timeout}\n" + _stderr.Result);
        }
        return new CliResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    /// <summary>The process id of rank <paramref name="rank"/> of this job: a descendant of our mpiexec (through
    /// Hydra's proxy) whose environment says <c>PMI_RANK=rank</c>; null while it has not started.</summary>
    public int? RankProcess(int rank)
    {
        foreach (string entry in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int pid) || !DescendsFrom(pid, _process.Id))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(entry, "environ")).Split('\0').Contains($"PMI_RANK={rank}"))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        return null;
    }

    private static bool DescendsFrom(int pid, int ancestor)
    {
        for (int depth = 0; depth < 4 && pid > 1; depth++)
        {
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …"; comm may contain spaces, so read after the last ')'.
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                return false;
            }
            if (pid == ancestor)
            {
                return true;
            }
        }
        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
