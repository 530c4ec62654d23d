using Switchboard.Gateway.WebSockets;

namespace Switchboard.Gateway.Tests.WebSockets;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_Burst_IsAvailableAtOnceThenRefused()
    {
        var bucket = new TokenBucket(10, 3, new ManualClock());

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake()));
    }

    [Fact]
    public void TryTake_AfterWaiting_RefillsAtTheRate()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(10, 3, clock);
        for (var i = 0; i < 3; i++)
        {
            bucket.TryTake();
        }

        clock.Advance(TimeSpan.FromMilliseconds(250));

        // 250 ms at 10 per second: two and a half tokens, so two messages.
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => bucket.TryTake()));
    }

    [Fact]
    public void TryTake_AfterALongPause_HoldsNoMoreThanTheBurst()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(10, 3, clock);
        bucket.TryTake();

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake()));
    }

    [Fact]
    public void TryTake_SteadyAtTheRate_IsNeverRefused()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(10, 1, clock);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(bucket.TryTake(), $"Refused message {i}.");
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
