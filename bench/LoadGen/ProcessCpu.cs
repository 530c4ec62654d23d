using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Processor time (user and system) used so far by processes, as the OS counts it (<c>/proc/&lt;pid&gt;/stat</c> on
/// Linux): read at both ends of the measured window, the difference is what the servers and the load generator spent on
/// the window's traffic, whichever of them the shared cores favoured.
/// </summary>
public static class ProcessCpu
{
    /// <summary>The processor time of every process in <paramref name="pids"/> summed; null when there are none or one cannot be read.</summary>
    public static TimeSpan? Total(IReadOnlyList<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        if (pids.Count == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Not running (any more), or not readable: no figure rather than a wrong one.
                return null;
            }
        }

        return total;
    }

    /// <summary>This process's processor time.</summary>
    public static TimeSpan Own() => Environment.CpuUsage.TotalTime;
}

/// <summary>Processor time spent in the measured window by the servers' processes (null when not read) and by the load generator.</summary>
/// <param name="Servers">The processes named by <see cref="LoadOptions.CpuPids"/>, summed.</param>
/// <param name="LoadGenerator">The load generator's own process (in the harness, the harness's).</param>
public readonly record struct WindowCpu(TimeSpan? Servers, TimeSpan LoadGenerator)
{
    /// <summary>Reads both now.</summary>
    public static WindowCpu Read(IReadOnlyList<int> serverPids) => new(ProcessCpu.Total(serverPids), ProcessCpu.Own());

    /// <summary>What was spent between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static WindowCpu Between(WindowCpu start, WindowCpu end) =>
        new(start.Servers is { } before && end.Servers is { } after ? after - before : null, end.LoadGenerator - start.LoadGenerator);
}
