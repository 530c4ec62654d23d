using System.Collections.Immutable;

namespace Switchboard.Actors;

/// <summary>
/// Values captured by URL routing: positional <see cref="Args"/> and named <see cref="Kwargs"/>,
/// as Channels' <c>scope["url_route"]</c>. Values typed by a route constraint (<c>{id:int}</c>) are numbers.
/// </summary>
public sealed record UrlRoute(ImmutableArray<object> Args, ImmutableDictionary<string, object> Kwargs)
{
    /// <summary>No captured values.</summary>
    public static UrlRoute Empty { get; } = new([], ImmutableDictionary<string, object>.Empty);

    /// <summary>The named value <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">The route captured no value of that name.</exception>
    public T Get<T>(string name) => Kwargs.TryGetValue(name, out var value)
        ? (T)value
        : throw new KeyNotFoundException($"The url route has no value named '{name}'. It has: {string.Join(", ", Kwargs.Keys)}.");

    /// <summary>The named value <paramref name="name"/> as a string (numbers are formatted invariantly).</summary>
    public string this[string name] => Convert.ToString(Get<object>(name), System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <inheritdoc />
    public bool Equals(UrlRoute? other) =>
        other is not null && Args.SequenceEqual(other.Args) &&
        Kwargs.Count == other.Kwargs.Count &&
        Kwargs.All(kv => other.Kwargs.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Args.Length, Kwargs.Count);
}
