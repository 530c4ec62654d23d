using System.Diagnostics;
using System.Net.Sockets;
using Switchboard.Bench.Run;

namespace Switchboard.Bench.Tests;

public sealed class GcPauseTests
{
    private static readonly DateTime T0 = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Log_PairsEachSuspensionWithItsRestart_AndCountsThePausesThatOverlapTheWindow()
    {
        var log = new GcPauseLog();
        // Ended before the window opened: not counted.
        Pause(log, T0.AddMilliseconds(-50), 20);
        // Began before the window but lasted into it: what was sent as it opened waited for it.
        Pause(log, T0.AddMilliseconds(-5), 20);
        Pause(log, T0.AddMilliseconds(100), 8);
        Pause(log, T0.AddMilliseconds(900), 45);
        // Began as the window closed: the next window's.
        Pause(log, T0.AddMilliseconds(1000), 30);

        var window = log.Between(T0, T0.AddSeconds(1));

        Assert.Equal(3, window.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(73), window.Total);
        Assert.Equal(TimeSpan.FromMilliseconds(45), window.Longest);
        Assert.Equal(new GcPauseSummary(0, TimeSpan.Zero, TimeSpan.Zero), log.Between(T0.AddSeconds(5), T0.AddSeconds(6)));
    }

    [Fact]
    public void Log_RestartWithoutItsSuspension_IsIgnored()
    {
        // A session that starts in the middle of a pause sees only its end.
        var log = new GcPauseLog();
        log.RestartEnded(T0.AddMilliseconds(10));
        Pause(log, T0.AddMilliseconds(20), 4);
        log.RestartEnded(T0.AddMilliseconds(40));

        var window = log.Between(T0, T0.AddSeconds(1));

        Assert.Equal(1, window.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(4), window.Longest);
    }

    [Fact]
    public async Task Monitor_OfThisProcess_SeesTheCollectionsItForces()
    {
        var from = DateTime.UtcNow;
        GcPauseSummary? seen = null;
        await using (var monitor = GcPauseMonitor.Start([Environment.ProcessId]))
        {
            Assert.True(monitor.Complete);
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                await Task.Delay(200);
                seen = monitor.Between(from, DateTime.UtcNow);
                if (seen is { Count: >= 2 })
                {
                    break;
                }
            }

            Assert.NotNull(seen);
            Assert.True(seen.Count >= 2, $"saw {seen.Count} pauses");
            Assert.True(seen.Longest > TimeSpan.Zero && seen.Total >= seen.Longest);
            // Nothing from before the monitor started.
            Assert.Equal(0, monitor.Between(from.AddHours(-1), from.AddMinutes(-59)) is { } before ? before.Count : -1);
        }
    }

    [Fact]
    public async Task Monitor_OfAProcessThatIsNotDotnet_GivesNoFigure()
    {
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            await using var monitor = GcPauseMonitor.Start([sleep.Id]);

            Assert.False(monitor.Complete);
            Assert.Null(monitor.Between(DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow));
        }
        finally
        {
            sleep.Kill();
            await sleep.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Monitor_OfAProcessWhoseDiagnosticSocketTakesNoMoreConnections_GivesNoFigure()
    {
        // What the harness attaches to is the socket named after the pid in the temporary folder. Here that socket's
        // listener has a full backlog (as a .NET process that has stopped answering leaves it), so connecting fails at
        // once with "resource temporarily unavailable" rather than the library's own "server not available".
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var path = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{sleep.Id}-1-socket");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var waiting = new List<Socket>();
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(0);
            for (var i = 0; i < 4; i++)
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
                waiting.Add(client);
                try
                {
                    client.Connect(new UnixDomainSocketEndPoint(path));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // The backlog is full.
                }
            }

            await using var monitor = GcPauseMonitor.Start([sleep.Id]);

            Assert.False(monitor.Complete);
            Assert.Null(monitor.Between(DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow));
        }
        finally
        {
            waiting.ForEach(client => client.Dispose());
            File.Delete(path);
            sleep.Kill();
            await sleep.WaitForExitAsync();
        }
    }

    private static void Pause(GcPauseLog log, DateTime start, int milliseconds)
    {
        log.SuspendStarted(start);
        log.RestartEnded(start.AddMilliseconds(milliseconds));
    }
}
