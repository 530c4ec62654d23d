using System.Collections.Immutable;

namespace Switchboard.Actors;

/// <summary>
/// An immutable bag of typed values on a <see cref="ConnectionScope"/>, keyed by type:
/// the place for what a middleware learns about a connection that the scope has no field for.
/// </summary>
public sealed class ScopeExtensions
{
    private readonly ImmutableDictionary<Type, object> _values;

    private ScopeExtensions(ImmutableDictionary<Type, object> values) => _values = values;

    /// <summary>An empty bag.</summary>
    public static ScopeExtensions Empty { get; } = new(ImmutableDictionary<Type, object>.Empty);

    /// <summary>How many values the bag holds.</summary>
    public int Count => _values.Count;

    /// <summary>A new bag with <paramref name="value"/> stored under <typeparamref name="T"/>.</summary>
    public ScopeExtensions With<T>(T value) where T : class => new(_values.SetItem(typeof(T), value));

    /// <summary>The value stored under <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    public T? Get<T>() where T : class => _values.TryGetValue(typeof(T), out var value) ? (T)value : null;
}
