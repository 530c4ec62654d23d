using System.Diagnostics.Tracing;
using System.Net.Sockets;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Switchboard.Bench.Run;

/// <summary>The garbage-collection pauses of a deployment's .NET processes that overlapped a measured window.</summary>
/// <param name="Count">How many.</param>
/// <param name="Total">Their sum.</param>
/// <param name="Longest">The longest one (zero when there was none).</param>
internal sealed record GcPauseSummary(int Count, TimeSpan Total, TimeSpan Longest);

/// <summary>
/// One process's pauses: from the runtime suspending its threads for a collection to their restart (what every thread of
/// the process waits through, so what a delivery in flight may wait). Fed from EventPipe's thread, read by the harness.
/// </summary>
internal sealed class GcPauseLog
{
    private readonly Lock _gate = new();
    private readonly List<(DateTime Start, TimeSpan Length)> _pauses = [];
    private DateTime? _suspending;

    /// <summary>The runtime began suspending threads for a collection.</summary>
    public void SuspendStarted(DateTime at)
    {
        lock (_gate)
        {
            _suspending = at;
        }
    }

    /// <summary>The threads run again; a restart with no suspension seen (the session began mid-pause) is ignored.</summary>
    public void RestartEnded(DateTime at)
    {
        lock (_gate)
        {
            if (_suspending is { } start && at >= start)
            {
                _pauses.Add((start, at - start));
            }

            _suspending = null;
        }
    }

    /// <summary>
    /// The pauses that overlapped [<paramref name="from"/>, <paramref name="to"/>): one that began before the window
    /// but lasted into it held up what was sent as it opened, as much as one that began inside it.
    /// </summary>
    public GcPauseSummary Between(DateTime from, DateTime to)
    {
        lock (_gate)
        {
            var inWindow = _pauses.Where(pause => pause.Start < to && pause.Start + pause.Length > from).Select(pause => pause.Length).ToList();
            return new GcPauseSummary(inWindow.Count, TimeSpan.FromTicks(inWindow.Sum(length => length.Ticks)), inWindow.Count == 0 ? TimeSpan.Zero : inWindow.Max());
        }
    }
}

/// <summary>
/// Watches the garbage collections of .NET processes over EventPipe (the runtime's GC events at informational level,
/// as <c>dotnet-trace collect --providers Microsoft-Windows-DotNETRuntime:0x1:4</c> would) while a case runs, so that the
/// table can show the pauses that fell in its window: the usual cause of a latency maximum far above the p99.
/// </summary>
internal sealed class GcPauseMonitor : IAsyncDisposable
{
    private readonly List<(EventPipeSession Session, Task Reading, GcPauseLog Log)> _watched = [];

    private GcPauseMonitor()
    {
    }

    /// <summary>Whether every process could be watched; when not, <see cref="Between"/> gives no figure.</summary>
    public bool Complete { get; private set; } = true;

    /// <summary>Starts watching <paramref name="pids"/>; a process that cannot be attached to leaves the monitor incomplete.</summary>
    public static GcPauseMonitor Start(IEnumerable<int> pids)
    {
        var monitor = new GcPauseMonitor();
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC);
        foreach (var pid in pids)
        {
            try
            {
                var session = new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false);
                var log = new GcPauseLog();
                monitor._watched.Add((session, Task.Run(() => Read(session, log)), log));
            }
            catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or SocketException or TimeoutException or UnauthorizedAccessException)
            {
                // Not a .NET process, or one that refuses or does not answer: a diagnostic socket whose listener takes no
                // more connections fails at once with a SocketException (seen in CI).
                monitor.Complete = false;
            }
        }

        return monitor;
    }

    /// <summary>Every watched process's pauses that began in the window, together; null when a process could not be watched.</summary>
    public GcPauseSummary? Between(DateTime from, DateTime to)
    {
        if (!Complete || _watched.Count == 0)
        {
            return null;
        }

        var each = _watched.Select(watched => watched.Log.Between(from, to)).ToList();
        return new GcPauseSummary(each.Sum(s => s.Count), TimeSpan.FromTicks(each.Sum(s => s.Total.Ticks)), each.Max(s => s.Longest));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (session, reading, _) in _watched)
        {
            try
            {
                await session.StopAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or SocketException or TimeoutException or ObjectDisposedException)
            {
                // The process has gone already: its stream has ended too.
            }

            await reading;
            session.Dispose();
        }
    }

    private static void Read(EventPipeSession session, GcPauseLog log)
    {
        try
        {
            using var source = new EventPipeEventSource(session.EventStream);
            // Only suspensions for a collection: the runtime also stops the threads for other work (the tiered JIT's
            // call counting, a debugger), whose restarts then find no collection's start and are ignored.
            source.Clr.GCSuspendEEStart += e =>
            {
                if (e.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep)
                {
                    log.SuspendStarted(e.TimeStamp.ToUniversalTime());
                }
            };
            source.Clr.GCRestartEEStop += e => log.RestartEnded(e.TimeStamp.ToUniversalTime());
            source.Process();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
        {
            // The process ended mid-stream: what was read stands.
        }
    }
}
