using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Counts sends, deliveries and errors. Only messages stamped inside the measured window count, on both sides, so
/// that warm-up traffic and messages still in flight at its edges are never mixed up with measured ones.
/// </summary>
public sealed class Recorder
{
    private const int ErrorSamples = 5;
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _sent;
    private long _expected;
    private long _delivered;
    private long _outOfOrder;
    private long _errors;

    public LatencyHistogram Latency { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Expected => Interlocked.Read(ref _expected);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Errors => Interlocked.Read(ref _errors);

    public IReadOnlyList<string> ErrorSamplesSeen => [.. _errorSamples];

    public TimeSpan Window => Stopwatch.GetElapsedTime(Volatile.Read(ref _windowStart), Volatile.Read(ref _windowEnd));

    /// <summary>When the window opened, by the wall clock (its end is <see cref="Window"/> later).</summary>
    public DateTime WindowStartUtc => Volatile.Read(ref _windowStart) is var start && start != long.MaxValue
        ? DateTime.UtcNow - Stopwatch.GetElapsedTime(start, Stopwatch.GetTimestamp())
        : default;

    /// <summary>Opens the window now, for traffic that starts only after this call (the idle scenario's echo).</summary>
    public void StartWindow() => Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());

    /// <summary>Closes the window now, for traffic that has finished sending before this call.</summary>
    public void StopWindow() => Volatile.Write(ref _windowEnd, Stopwatch.GetTimestamp());

    /// <summary>
    /// Fixes both ends of the window before any traffic, for drivers that send while it opens and closes. A window
    /// opened or closed by reading the clock while clients send has a gap between the reading and the write that others
    /// see: a client that recorded its send in that gap counted a message that its receivers, checking the finished
    /// window, did not; a whole room of deliveries then showed as lost (seen on every server in chat).
    /// </summary>
    public void SetWindow(long start, long end)
    {
        Volatile.Write(ref _windowEnd, end);
        Volatile.Write(ref _windowStart, start);
    }

    public bool InWindow(long stamp) => stamp >= Volatile.Read(ref _windowStart) && stamp < Volatile.Read(ref _windowEnd);

    public void RecordSend(long stamp, int recipients)
    {
        if (InWindow(stamp))
        {
            Interlocked.Increment(ref _sent);
            Interlocked.Add(ref _expected, recipients);
        }
    }

    public void RecordDelivery(long stamp, long now)
    {
        if (InWindow(stamp))
        {
            Interlocked.Increment(ref _delivered);
            Latency.Record((now - stamp) * 1_000_000 / Stopwatch.Frequency);
        }
    }

    public void RecordOutOfOrder() => Interlocked.Increment(ref _outOfOrder);

    public void RecordError(string what)
    {
        if (Interlocked.Increment(ref _errors) <= ErrorSamples)
        {
            _errorSamples.Enqueue(what);
        }
    }
}
