using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>Every client in its own room: send, wait for the message to come back, send the next.</summary>
internal sealed class EchoDriver(LoadOptions options, Recorder recorder) : ScenarioDriver(options, recorder)
{
    public override void OnPayload(Connection receiver, Payload payload, long now)
    {
        if (payload.Sender == receiver.Index)
        {
            receiver.OwnReceived(payload.Sequence);
        }
    }

    protected override Task TrafficAsync(IReadOnlyList<Room> rooms, CancellationToken stop) =>
        Task.WhenAll(rooms.SelectMany(room => room.Members).Select(client => Task.Run(() => LoopAsync(client, stop), CancellationToken.None)));

    private async Task LoopAsync(Connection client, CancellationToken stop)
    {
        for (long sequence = 1; !stop.IsCancellationRequested; sequence++)
        {
            var reply = client.ExpectOwn(sequence);
            if (!await SendAsync(client, sequence, Stopwatch.GetTimestamp()))
            {
                return;
            }

            await WaitAsync(reply, stop);
        }
    }
}
