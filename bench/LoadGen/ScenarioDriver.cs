using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// A scenario's traffic. The default run is warm-up, then the measured window, then stop; closed-loop scenarios
/// send, wait for what they sent to come back (or give it up after the reply timeout), and send again.
/// </summary>
internal abstract class ScenarioDriver(LoadOptions options, Recorder recorder)
{
    protected LoadOptions Options { get; } = options;

    protected Recorder Recorder { get; } = recorder;

    /// <summary>Clients that got their own message back (idle's check); null where the scenario does not count it.</summary>
    public virtual int? Answered => null;

    public static ScenarioDriver For(LoadOptions options, Recorder recorder) => options.Scenario switch
    {
        Scenario.Echo => new EchoDriver(options, recorder),
        Scenario.FanOut => new FanOutDriver(options, recorder),
        Scenario.Chat => new ChatDriver(options, recorder),
        Scenario.Idle => new IdleDriver(options, recorder),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Scenario, null),
    };

    /// <summary>Called on the receiving client's loop for every message it receives.</summary>
    public virtual void OnPayload(Connection receiver, Payload payload, long now)
    {
    }

    /// <summary>The processor time spent while the window was open; null where the scenario does not read it (idle).</summary>
    public WindowCpu? Cpu { get; private set; }

    /// <summary>
    /// How long the traffic ran before the measured window, and whether the servers' tiered JIT had gone quiet by then
    /// (null where <see cref="LoadOptions.SettleLimit"/> is zero, or the scenario has no warm-up).
    /// </summary>
    public (TimeSpan Taken, bool? JitSettled) Warmup { get; private set; }

    /// <summary>
    /// Runs the traffic through warm-up and the measured window. With a <see cref="LoadOptions.SettleLimit"/>, the
    /// warm-up goes on past <see cref="LoadOptions.Warmup"/> until the servers' tiering threads have been quiet for
    /// <see cref="JitActivity.QuietSeconds"/> seconds in a row (or the limit is reached), and the window opens then.
    /// A <paramref name="wave"/> (<see cref="LoadOptions.Wave"/>) starts a quarter of the way into the window.
    /// </summary>
    public virtual async Task RunAsync(IReadOnlyList<Room> rooms, CancellationToken cancellationToken, Func<CancellationToken, Task>? wave = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var began = Stopwatch.GetTimestamp();
        var start = began + (long)(Options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var window = (long)(Options.Duration.TotalSeconds * Stopwatch.Frequency);
        var settling = Options.SettleLimit > TimeSpan.Zero;
        if (!settling)
        {
            // Fixed before any traffic, so that no send near the opening is stamped before the window is set.
            Recorder.SetWindow(start, start + window);
        }

        var cpuPids = Options.EffectiveCpuPids;
        var traffic = TrafficAsync(rooms, stop.Token);
        var waving = Task.CompletedTask;
        try
        {
            // Traffic goes on until the window has closed by the stopwatch the stamps use, not only by the timer.
            await UntilAsync(start, cancellationToken);
            bool? settled = null;
            if (settling)
            {
                settled = await SettleAsync(cpuPids, cancellationToken);
                start = Stopwatch.GetTimestamp();
                Recorder.SetWindow(start, start + window);
            }

            Warmup = (Stopwatch.GetElapsedTime(began, start), settled);
            var atStart = WindowCpu.Read(cpuPids);
            if (wave is not null)
            {
                waving = WaveAsync(start + (window / 4), wave, cancellationToken);
            }

            await UntilAsync(start + window, cancellationToken);
            Cpu = WindowCpu.Between(atStart, WindowCpu.Read(cpuPids));
        }
        finally
        {
            await stop.CancelAsync();
            await traffic;
            await waving;
        }
    }

    private static async Task WaveAsync(long at, Func<CancellationToken, Task> wave, CancellationToken cancellationToken)
    {
        await UntilAsync(at, cancellationToken);
        await wave(cancellationToken);
    }

    /// <summary>Waits, up to <see cref="LoadOptions.SettleLimit"/>, for the servers' JIT to go quiet; true when it did.</summary>
    private async Task<bool> SettleAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        var jit = new JitActivity(pids);
        var deadline = Stopwatch.GetTimestamp() + (long)(Options.SettleLimit.TotalSeconds * Stopwatch.Frequency);
        var quiet = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            quiet = jit.Sample() <= TimeSpan.FromSeconds(JitActivity.QuietCores) ? quiet + 1 : 0;
            if (quiet >= JitActivity.QuietSeconds)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits until the stopwatch reads <paramref name="timestamp"/> (to within a millisecond or so).</summary>
    private static async Task UntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.FromMilliseconds(2))
        {
            await Task.Delay(remaining - TimeSpan.FromMilliseconds(1), cancellationToken);
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>Sends until <paramref name="stop"/> is cancelled.</summary>
    protected abstract Task TrafficAsync(IReadOnlyList<Room> rooms, CancellationToken stop);

    /// <summary>Records and sends one message; false when the socket failed (recorded as an error).</summary>
    protected async Task<bool> SendAsync(Connection client, long sequence, long stamp)
    {
        Recorder.RecordSend(stamp, client.Room.Members.Count);
        try
        {
            await client.SendAsync(new Payload(client.Index, sequence, stamp));
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Recorder.RecordError($"client {client.Index} could not send: {e.Message}");
            return false;
        }
    }

    /// <summary>Waits for a reply, at most the reply timeout; a reply that does not come shows as lost later.</summary>
    protected async Task WaitAsync(Task reply, CancellationToken stop)
    {
        try
        {
            await reply.WaitAsync(Options.ReplyTimeout, stop);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
