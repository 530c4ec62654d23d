using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>One log line the server wrote.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>
/// Records what a test server logs (at most <see cref="Capacity"/> lines), so that tests can assert that a refusal or
/// close was logged, naming its connection, and that nothing reached the host as an unhandled exception.
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    public const int Capacity = 200_000;

    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private int _count;

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>
    /// Lines that say an exception escaped to the host: Kestrel's "unhandled exception was thrown by the application",
    /// ASP.NET Core's unhandled-exception lines, and any error logged by ASP.NET Core itself.
    /// </summary>
    public IReadOnlyList<LogEntry> Unhandled => [.. _entries.Where(e =>
        e.Level == LogLevel.Critical
        || e.EventId.Name is "ApplicationError" or "UnhandledException" or "RequestProcessingError"
        || (e.Level >= LogLevel.Error && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)))];

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    /// <summary>Waits (bounded) for a line matching <paramref name="match"/> and returns it.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_entries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No matching log line. Last lines:\n" + string.Join("\n", _entries.TakeLast(20).Select(e => $"{e.Level} {e.Category}: {e.Message}")));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Fails the test when an exception reached the host unhandled.</summary>
    public void AssertNoUnhandledExceptions()
    {
        var unhandled = Unhandled;
        Assert.True(unhandled.Count == 0, "Unhandled exceptions reached the host:\n" + string.Join("\n", unhandled.Take(5).Select(e => $"{e.Category} [{e.EventId}] {e.Message} {e.Exception}")));
    }

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        if (Interlocked.Increment(ref _count) <= Capacity)
        {
            _entries.Enqueue(entry);
        }
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
