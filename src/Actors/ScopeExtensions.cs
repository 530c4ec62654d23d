namespace Switchboard.Actors;

/// <summary>
/// An immutable bag of typed values on a <see cref="ConnectionScope"/>, keyed by type:
/// the place for what a middleware learns about a connection that the scope has no field for.
/// </summary>
public sealed class ScopeExtensions
{
    // A bag holds a handful of values (the gateway attaches three or four per handshake), so a copied array costs less
    // per With than an immutable dictionary's nodes, and a linear Get over it is as fast as a hash lookup.
    private readonly KeyValuePair<Type, object>[] _values;

    private ScopeExtensions(KeyValuePair<Type, object>[] values) => _values = values;

    /// <summary>An empty bag.</summary>
    public static ScopeExtensions Empty { get; } = new([]);

    /// <summary>How many values the bag holds.</summary>
    public int Count => _values.Length;

    /// <summary>A new bag with <paramref name="value"/> stored under <typeparamref name="T"/>.</summary>
    public ScopeExtensions With<T>(T value) where T : class
    {
        var key = typeof(T);
        var index = IndexOf(key);
        KeyValuePair<Type, object>[] values;
        if (index >= 0)
        {
            values = (KeyValuePair<Type, object>[])_values.Clone();
        }
        else
        {
            index = _values.Length;
            values = new KeyValuePair<Type, object>[index + 1];
            _values.CopyTo(values, 0);
        }

        values[index] = new(key, value);
        return new(values);
    }

    /// <summary>
    /// A new bag with each of <paramref name="values"/> stored under its key (replacing what the bag holds under that key),
    /// copied once: what a handshake attaches in one go costs one array, not one per value.
    /// </summary>
    public ScopeExtensions With(params ReadOnlySpan<KeyValuePair<Type, object>> values)
    {
        var merged = new KeyValuePair<Type, object>[_values.Length + values.Length];
        _values.CopyTo(merged, 0);
        var count = _values.Length;
        foreach (var (key, value) in values)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(values));
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            if (!key.IsInstanceOfType(value))
            {
                throw new ArgumentException($"A {value.GetType()} cannot be stored under {key}.", nameof(values));
            }

            var index = 0;
            while (index < count && merged[index].Key != key)
            {
                index++;
            }

            merged[index] = new(key, value);
            count = Math.Max(count, index + 1);
        }

        return new(count == merged.Length ? merged : merged[..count]);
    }

    /// <summary>The value stored under <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    public T? Get<T>() where T : class => IndexOf(typeof(T)) is var index and >= 0 ? (T)_values[index].Value : null;

    private int IndexOf(Type key)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}
