using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Summarize_UniformMicroseconds_PercentilesWithinOnePercent()
    {
        var histogram = new LatencyHistogram();
        for (var us = 1; us <= 100_000; us++)
        {
            histogram.Record(us);
        }

        var summary = histogram.Summarize();
        Assert.Equal(100_000, summary.Count);
        Assert.InRange(summary.P50, 50 * 0.99, 50 * 1.01);
        Assert.InRange(summary.P90, 90 * 0.99, 90 * 1.01);
        Assert.InRange(summary.P99, 99 * 0.99, 99 * 1.01);
        Assert.Equal(100, summary.Max);
    }

    [Fact]
    public void Summarize_SmallValues_AreExact()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(7);
        histogram.Record(-3);

        var summary = histogram.Summarize();
        Assert.Equal(0.007, summary.P99);
        Assert.Equal(0, summary.P50);
    }
}
