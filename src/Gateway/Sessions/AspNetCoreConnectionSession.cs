using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Session;
using Switchboard.Actors;

namespace Switchboard.Gateway.Sessions;

/// <summary>
/// A consumer's view of an ASP.NET Core session: the values as loaded at connect time (strings, UTF-8, as
/// <c>ISession.GetString</c>/<c>SetString</c>), plus the consumer's own changes. <see cref="SaveAsync"/> reloads the session,
/// applies those changes over what is stored now, and commits: a WebSocket lives long, and what HTTP requests wrote to other
/// keys meanwhile must survive. Afterwards the consumer sees the store's current values.
/// </summary>
internal sealed class AspNetCoreConnectionSession(ISessionStore store, string key, SessionOptions options, bool isNewKey) : IConnectionSession
{
    // Every connection has a session and most never touch it: the tables and a new session's id are made when first needed.
    private Dictionary<string, byte[]?>? _changes;
    private Dictionary<string, byte[]>? _values;
    private string? _id;
    private bool _cleared;

    /// <summary>The session's id, as <c>HttpContext.Session.Id</c> (not its key). A new session's id is fixed when it is first saved.</summary>
    public string Id
    {
        get => _id ?? LazyInitializer.EnsureInitialized(ref _id, static () => Guid.NewGuid().ToString());
        private set => _id = value;
    }

    public IEnumerable<string> Keys => _values is { } values ? [.. values.Keys] : [];

    public string? Get(string key) => _values is { } values && values.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;

    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (Encoding.UTF8.GetByteCount(key) > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(key), $"A session key cannot be longer than {ushort.MaxValue} bytes in UTF-8.");
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        (_values ??= new(StringComparer.Ordinal))[key] = bytes;
        (_changes ??= new(StringComparer.Ordinal))[key] = bytes;
    }

    public void Remove(string key)
    {
        _values?.Remove(key);
        (_changes ??= new(StringComparer.Ordinal))[key] = null;
    }

    public void Clear()
    {
        _values?.Clear();
        _changes?.Clear();
        _cleared = true;
    }

    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        var session = Open();
        await session.LoadAsync(cancellationToken);
        if (_cleared)
        {
            session.Clear();
        }

        foreach (var (name, value) in _changes ?? [])
        {
            if (value is null)
            {
                session.Remove(name);
            }
            else
            {
                session.Set(name, value);
            }
        }

        // Unchanged, this only slides the session's expiry, as a request that did not touch it does.
        await session.CommitAsync(cancellationToken);
        _changes?.Clear();
        _cleared = false;
        Snapshot(session);
    }

    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (isNewKey)
        {
            // Nothing is stored under a key made just now; reading it would be a wasted round trip to the cache.
            return;
        }

        var session = Open();
        await session.LoadAsync(cancellationToken);
        Snapshot(session);
    }

    private ISession Open() => store.Create(key, options.IdleTimeout, options.IOTimeout, static () => true, isNewKey);

    private void Snapshot(ISession session)
    {
        Dictionary<string, byte[]>? values = null;
        foreach (var name in session.Keys)
        {
            if (session.TryGetValue(name, out var value))
            {
                (values ??= new(StringComparer.Ordinal))[name] = value;
            }
        }

        _values = values;
        Id = session.Id;
    }
}
