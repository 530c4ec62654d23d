using System.Collections.Concurrent;
using System.Text.Json;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// Serializes channel-layer messages between nodes with System.Text.Json: the manifest is the type's name, the
/// payload its JSON. Bound to <see cref="IChannelMessage"/> in Switchboard's <c>reference.conf</c>; bind other types to
/// <c>switchboard-json</c> in HOCON. Only types bound to this serializer are ever created from the wire.
/// </summary>
public sealed class JsonMessageSerializer : SerializerWithStringManifest
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);
    private readonly ConcurrentDictionary<Type, string> _manifests = new();
    private readonly ConcurrentDictionary<string, Type> _types = new(StringComparer.Ordinal);

    /// <summary>Created by Akka from <c>akka.actor.serializers</c>.</summary>
    public JsonMessageSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => 772;

    /// <inheritdoc />
    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return _manifests.GetOrAdd(o.GetType(), static t => $"{t.FullName}, {t.Assembly.GetName().Name}");
    }

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        // TryGetValue first: GetOrAdd with the method group would make a new delegate on every message.
        var type = _types.TryGetValue(manifest, out var known) ? known : _types.GetOrAdd(manifest, Resolve);
        return JsonSerializer.Deserialize(bytes, type, Options)
            ?? throw new SerializationException($"The JSON for {manifest} was null.");
    }

    private Type Resolve(string manifest)
    {
        var type = Type.GetType(manifest, throwOnError: false)
            ?? throw new SerializationException($"Cannot deserialize a channel-layer message of unknown type '{manifest}'.");
        if (system.Serialization.FindSerializerForType(type).Identifier != Identifier)
        {
            // Never instantiate arbitrary types named on the wire: only those bound to this serializer.
            throw new SerializationException($"Type '{manifest}' is not bound to the switchboard-json serializer.");
        }

        return type;
    }
}
