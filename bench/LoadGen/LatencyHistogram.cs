using System.Numerics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// A lock-free log-linear histogram of latencies in microseconds: exact below 128 µs, then 128 buckets per power of
/// two (under 1% error), so that receive loops on every thread can record without contention or allocation.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 128;
    private const int SubBucketBits = 7;
    private readonly long[] _counts = new long[SubBuckets * 58];
    private long _max;

    /// <summary>Records one latency.</summary>
    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[Index(value)]);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Percentiles and maximum of what was recorded so far.</summary>
    public LatencySummary Summarize()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        var total = counts.Sum();
        return new LatencySummary(total, Percentile(counts, total, 0.50), Percentile(counts, total, 0.90), Percentile(counts, total, 0.99), Volatile.Read(ref _max) / 1000.0);
    }

    private static double Percentile(long[] counts, long total, double quantile)
    {
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Midpoint(i) / 1000.0;
            }
        }

        return Midpoint(counts.Length - 1) / 1000.0;
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        // value >> shift falls in [128, 256): the top eight bits pick the bucket within its power of two.
        var shift = BitOperations.Log2((ulong)value) - SubBucketBits;
        return (SubBuckets * (shift + 1)) + (int)(value >> shift) - SubBuckets;
    }

    private static double Midpoint(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = (index / SubBuckets) - 1;
        var low = (long)((index % SubBuckets) + SubBuckets) << shift;
        return low + (((1L << shift) - 1) / 2.0);
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
/// <param name="Count">How many latencies were recorded.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double Max);
