using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Open loop: every client sends <see cref="LoadOptions.Rate"/> messages a second on its own schedule (a random phase),
/// whatever comes back. Each message is stamped with when it was due, not when it went, so that a client that
/// falls behind shows as latency instead of hiding it (no coordinated omission).
/// </summary>
internal sealed class ChatDriver(LoadOptions options, Recorder recorder) : ScenarioDriver(options, recorder)
{
    protected override Task TrafficAsync(IReadOnlyList<Room> rooms, CancellationToken stop)
    {
        var interval = (long)(Stopwatch.Frequency / Options.Rate);
        var start = Stopwatch.GetTimestamp();
        return Task.WhenAll(rooms.SelectMany(room => room.Members).Select(client =>
            Task.Run(() => LoopAsync(client, start + Random.Shared.NextInt64(interval), interval, stop), CancellationToken.None)));
    }

    private async Task LoopAsync(Connection client, long due, long interval, CancellationToken stop)
    {
        try
        {
            for (long sequence = 1; !stop.IsCancellationRequested; sequence++, due += interval)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop);
                }

                if (!await SendAsync(client, sequence, due))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
