using System.Globalization;
using System.Runtime.InteropServices;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// How busy the .NET runtime's tiered-compilation thread of each server process is, read from outside through
/// <c>/proc/&lt;pid&gt;/task</c> (Linux): the thread named <c>.NET Tiered Com</c> recompiles hot methods (with dynamic
/// PGO, twice: instrumented, then optimized) for tens of seconds after a process's load begins, and while it does, the
/// process is neither at its steady speed nor leaving the CPU alone. A process without such a thread (Daphne, Redis, a
/// .NET process with tiered compilation off) reads as idle.
/// </summary>
public sealed class JitActivity
{
    /// <summary>The thread name (as <c>/proc</c> truncates it to 15 characters) of the runtime's tier-up worker.</summary>
    public const string TieringThreadName = ".NET Tiered Com";

    /// <summary>Seconds in a row that the tiering threads must stay under <see cref="QuietCores"/> for the JIT to count as settled.</summary>
    public const int QuietSeconds = 2;

    /// <summary>The tiering threads' share of a core, summed over the servers' processes, below which a second counts as quiet.</summary>
    public const double QuietCores = 0.02;

    private readonly IReadOnlyList<int> _pids;
    private readonly string _proc;
    private Dictionary<(int Pid, int Tid), long> _last;

    /// <summary>Starts watching <paramref name="pids"/>; the first <see cref="Sample"/> measures from this call.</summary>
    /// <param name="pids">The processes.</param>
    /// <param name="proc">Where the process tree is (<c>/proc</c>; a test's copy of its layout otherwise).</param>
    public JitActivity(IReadOnlyList<int> pids, string proc = "/proc")
    {
        ArgumentNullException.ThrowIfNull(pids);
        _pids = pids;
        _proc = proc;
        _last = ReadTicks();
    }

    /// <summary>The clock ticks per second of <c>/proc</c>'s times (<c>sysconf(_SC_CLK_TCK)</c>; 100 where it cannot be read).</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    /// <summary>
    /// The processor time the tiering threads of all the processes used since the last call (or the constructor).
    /// A thread that came and went in between is not counted; one that is new counts in full.
    /// </summary>
    public TimeSpan Sample()
    {
        var now = ReadTicks();
        long ticks = 0;
        foreach (var (thread, total) in now)
        {
            ticks += total - _last.GetValueOrDefault(thread);
        }

        _last = now;
        return TimeSpan.FromSeconds((double)Math.Max(0, ticks) / TicksPerSecond);
    }

    /// <summary>utime + stime, in clock ticks, of every tiering thread of the watched processes now.</summary>
    private Dictionary<(int Pid, int Tid), long> ReadTicks()
    {
        var ticks = new Dictionary<(int Pid, int Tid), long>();
        foreach (var pid in _pids)
        {
            string[] tasks;
            try
            {
                tasks = Directory.GetDirectories(Path.Combine(_proc, pid.ToString(CultureInfo.InvariantCulture), "task"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not Linux: nothing compiling that can be seen
            }

            foreach (var task in tasks)
            {
                if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    && TryReadTieringTicks(task) is { } total)
                {
                    ticks[(pid, tid)] = total;
                }
            }
        }

        return ticks;
    }

    /// <summary>The thread's utime + stime when it is the tiering thread; null otherwise or when it has gone.</summary>
    private static long? TryReadTieringTicks(string task)
    {
        try
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != TieringThreadName)
            {
                return null;
            }

            return ParseStatTicks(File.ReadAllText(Path.Combine(task, "stat")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// utime + stime (fields 14 and 15) of a <c>/proc/.../stat</c> line. The name in parentheses (field 2) may hold
    /// spaces and parentheses itself, so the fields are counted from the last <c>)</c>.
    /// </summary>
    public static long? ParseStatTicks(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state) onwards: utime is field 14, so the 12th of these.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }

    private static long ReadTicksPerSecond()
    {
        try
        {
            var ticks = OperatingSystem.IsLinux() ? SysConf(ClockTicksName) : -1;
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
