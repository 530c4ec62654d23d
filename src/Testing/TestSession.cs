using System.Collections.Concurrent;
using Switchboard.Actors;

namespace Switchboard.Testing;

/// <summary>An in-memory session for communicators: what a consumer saves is visible in <see cref="Saved"/>.</summary>
public sealed class TestSession : IConnectionSession
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Creates a session holding <paramref name="values"/>.</summary>
    public TestSession(IEnumerable<KeyValuePair<string, string>>? values = null)
    {
        foreach (var (key, value) in values ?? [])
        {
            _values[key] = value;
        }
    }

    /// <inheritdoc />
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The values as of the last <see cref="SaveAsync"/>.</summary>
    public IReadOnlyDictionary<string, string> Saved { get; private set; } = new Dictionary<string, string>();

    /// <summary>How many times the consumer saved the session.</summary>
    public int SaveCount { get; private set; }

    /// <inheritdoc />
    public string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc />
    public void Set(string key, string value) => _values[key] = value;

    /// <inheritdoc />
    public void Remove(string key) => _values.TryRemove(key, out _);

    /// <inheritdoc />
    public void Clear() => _values.Clear();

    /// <inheritdoc />
    public Task SaveAsync(CancellationToken cancellationToken = default)
    {
        Saved = new Dictionary<string, string>(_values);
        SaveCount++;
        return Task.CompletedTask;
    }
}
