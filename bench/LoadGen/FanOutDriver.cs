using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>One sender per room (its first member): the next message goes when every member received the previous.</summary>
internal sealed class FanOutDriver(LoadOptions options, Recorder recorder) : ScenarioDriver(options, recorder)
{
    private RoomRound[] _rounds = [];

    public override void OnPayload(Connection receiver, Payload payload, long now)
    {
        var round = _rounds[receiver.Room.Index];
        if (payload.Sequence == Volatile.Read(ref round.Sequence) && Interlocked.Increment(ref round.Received) == receiver.Room.Members.Count)
        {
            Volatile.Read(ref round.AllReceived)?.TrySetResult();
        }
    }

    protected override Task TrafficAsync(IReadOnlyList<Room> rooms, CancellationToken stop)
    {
        _rounds = [.. rooms.Select(_ => new RoomRound())];
        return Task.WhenAll(rooms.Where(room => room.Members.Count > 0).Select(room => Task.Run(() => LoopAsync(room, _rounds[room.Index], stop), CancellationToken.None)));
    }

    private async Task LoopAsync(Room room, RoomRound round, CancellationToken stop)
    {
        var sender = room.Members[0];
        for (long sequence = 1; !stop.IsCancellationRequested; sequence++)
        {
            var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref round.Received, 0);
            Volatile.Write(ref round.AllReceived, allReceived);
            Volatile.Write(ref round.Sequence, sequence);
            if (!await SendAsync(sender, sequence, Stopwatch.GetTimestamp()))
            {
                return;
            }

            await WaitAsync(allReceived.Task, stop);
        }
    }

    /// <summary>The message a room's sender waits on, and how many members have it.</summary>
    private sealed class RoomRound
    {
        public long Sequence;
        public int Received;
        public TaskCompletionSource? AllReceived;
    }
}
