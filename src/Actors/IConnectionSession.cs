namespace Switchboard.Actors;

/// <summary>
/// A connection's session: string keys to string values, loaded when the connection opened.
/// Changes are kept in memory until <see cref="SaveAsync"/> writes them back to the store
/// (WebSocket sessions are never saved automatically, as in Channels).
/// </summary>
public interface IConnectionSession
{
    /// <summary>The session's identifier in its store.</summary>
    string Id { get; }

    /// <summary>The keys the session holds.</summary>
    IEnumerable<string> Keys { get; }

    /// <summary>The value under <paramref name="key"/>, or <see langword="null"/>.</summary>
    string? Get(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    void Set(string key, string value);

    /// <summary>Removes <paramref name="key"/>.</summary>
    void Remove(string key);

    /// <summary>Removes every key.</summary>
    void Clear();

    /// <summary>Writes the changes back to the session store.</summary>
    Task SaveAsync(CancellationToken cancellationToken = default);
}
