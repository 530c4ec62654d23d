using System.Diagnostics;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Tests;

public sealed class RecorderTests
{
    [Fact]
    public void AWindowFixedInAdvance_CountsAMessageOnBothSidesOrOnNeither_WheneverItIsRecorded()
    {
        var recorder = new Recorder();
        var now = Stopwatch.GetTimestamp();
        var start = now + Stopwatch.Frequency;
        var end = start + Stopwatch.Frequency;
        recorder.SetWindow(start, end);

        // Stamped before, inside (both edges) and after the window; sent and delivered in any order of time.
        long[] stamps = [start - 1, start, end - 1, end, end + 1];
        foreach (var stamp in stamps)
        {
            recorder.RecordSend(stamp, recipients: 10);
        }

        foreach (var stamp in stamps)
        {
            for (var i = 0; i < 10; i++)
            {
                recorder.RecordDelivery(stamp, end + Stopwatch.Frequency);
            }
        }

        Assert.Equal(2, recorder.Sent);
        Assert.Equal(20, recorder.Expected);
        Assert.Equal(recorder.Expected, recorder.Delivered);
        Assert.Equal(TimeSpan.FromSeconds(1), recorder.Window);
    }

    [Fact]
    public void AMessageRecordedBeforeAnyWindow_CountsNothing()
    {
        var recorder = new Recorder();
        var stamp = Stopwatch.GetTimestamp();

        recorder.RecordSend(stamp, recipients: 3);
        recorder.RecordDelivery(stamp, stamp);

        Assert.Equal(0, recorder.Sent);
        Assert.Equal(0, recorder.Delivered);
    }

    [Fact]
    public void WindowStartUtc_IsTheWallClockOfTheWindowsOpening_AndUnsetUntilItIsOpened()
    {
        var recorder = new Recorder();
        Assert.Equal(default, recorder.WindowStartUtc);

        var now = Stopwatch.GetTimestamp();
        recorder.SetWindow(now - (3 * Stopwatch.Frequency), now + Stopwatch.Frequency);
        var expected = DateTime.UtcNow.AddSeconds(-3);

        Assert.InRange(recorder.WindowStartUtc, expected.AddMilliseconds(-250), expected.AddMilliseconds(250));
        Assert.Equal(DateTimeKind.Utc, recorder.WindowStartUtc.Kind);
    }
}
