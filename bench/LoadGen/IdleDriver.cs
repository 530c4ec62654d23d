using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The connections are held (the runner measures the server's memory meanwhile); then every client sends one
/// message and waits for it to come back, proving the connection still works.
/// </summary>
internal sealed class IdleDriver(LoadOptions options, Recorder recorder) : ScenarioDriver(options, recorder)
{
    private int _answered;

    public override int? Answered => Volatile.Read(ref _answered);

    public override void OnPayload(Connection receiver, Payload payload, long now)
    {
        if (payload.Sender == receiver.Index)
        {
            receiver.OwnReceived(payload.Sequence);
        }
    }

    public override async Task RunAsync(IReadOnlyList<Room> rooms, CancellationToken cancellationToken, Func<CancellationToken, Task>? wave = null)
    {
        Recorder.StartWindow();
        try
        {
            await TrafficAsync(rooms, cancellationToken);
        }
        finally
        {
            Recorder.StopWindow();
        }
    }

    protected override Task TrafficAsync(IReadOnlyList<Room> rooms, CancellationToken stop) =>
        Task.WhenAll(rooms.SelectMany(room => room.Members).Select(client => EchoOnceAsync(client, stop)));

    private async Task EchoOnceAsync(Connection client, CancellationToken stop)
    {
        var reply = client.ExpectOwn(1);
        if (await SendAsync(client, 1, Stopwatch.GetTimestamp()))
        {
            await WaitAsync(reply, stop);
            if (reply.IsCompletedSuccessfully)
            {
                Interlocked.Increment(ref _answered);
            }
        }
    }
}
