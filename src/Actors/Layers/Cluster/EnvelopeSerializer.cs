using System.Buffers.Binary;
using Akka.Actor;
using System.Runtime.Serialization;
using System.Text;
using Akka.Serialization;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// Serializes the cluster layer's envelopes compactly: the target name, then the inner message with whatever
/// serializer Akka has bound to its type (<c>switchboard-json</c> for <see cref="IChannelMessage"/> types).
/// </summary>
public sealed class EnvelopeSerializer : SerializerWithStringManifest
{
    private const string Group = "G";
    private const string Channel = "C";
    private const string GroupAdd = "A";
    private const string GroupRemove = "R";
    private const string FenceManifest = "F";
    private const string ConfirmedManifest = "K";
    private const string GroupsManifest = "S";
    private const string GroupsReplyManifest = "Q";
    private const string JoinedManifest = "J";
    private const string LeftManifest = "L";

    /// <summary>Created by Akka from <c>akka.actor.serializers</c>.</summary>
    public EnvelopeSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => 771;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        GroupEnvelope => Group,
        ChannelEnvelope => Channel,
        RemoteGroupAdd => GroupAdd,
        RemoteGroupRemove => GroupRemove,
        Fence => FenceManifest,
        FenceConfirmed => ConfirmedManifest,
        GroupsHere { Reply: true } => GroupsReplyManifest,
        GroupsHere => GroupsManifest,
        GroupJoinedHere => JoinedManifest,
        GroupLeftHere => LeftManifest,
        _ => throw new ArgumentException($"{nameof(EnvelopeSerializer)} cannot serialize {o?.GetType().FullName}.", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var envelope = obj as LayerEnvelope ?? throw new ArgumentException($"{nameof(EnvelopeSerializer)} cannot serialize {obj?.GetType().FullName}.", nameof(obj));
        if (envelope is Fence or FenceConfirmed)
        {
            var number = new byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(number, (long)envelope.Message);
            return number;
        }

        switch (envelope)
        {
            case GroupJoinedHere or GroupLeftHere:
                return Encoding.UTF8.GetBytes(envelope.Target);
            case GroupsHere here:
            {
                using var groups = new MemoryStream();
                using (var writer = new BinaryWriter(groups))
                {
                    writer.Write(here.Groups.Count);
                    foreach (var group in here.Groups)
                    {
                        writer.Write(group);
                    }
                }

                return groups.ToArray();
            }
        }

        var serializer = system.Serialization.FindSerializerFor(envelope.Message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, envelope.Message);
        var payload = serializer.ToBinary(envelope.Message);
        using var stream = new MemoryStream(payload.Length + envelope.Target.Length + manifest.Length + 16);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(envelope.Target);
            writer.Write(envelope is GroupEnvelope group ? group.Origin : 0L);
            writer.Write(serializer.Identifier);
            writer.Write(manifest);
            writer.Write(payload.Length);
            writer.Write(payload);
        }

        return stream.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case FenceManifest:
                return new Fence(BinaryPrimitives.ReadInt64LittleEndian(bytes));
            case ConfirmedManifest:
                return new FenceConfirmed(BinaryPrimitives.ReadInt64LittleEndian(bytes));
            case JoinedManifest:
                return new GroupJoinedHere(Encoding.UTF8.GetString(bytes));
            case LeftManifest:
                return new GroupLeftHere(Encoding.UTF8.GetString(bytes));
            case GroupsManifest or GroupsReplyManifest:
            {
                using var groups = new BinaryReader(new MemoryStream(bytes));
                var names = new string[groups.ReadInt32()];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = groups.ReadString();
                }

                return new GroupsHere(names, manifest == GroupsReplyManifest);
            }
        }

        using var reader = new BinaryReader(new MemoryStream(bytes));
        var target = reader.ReadString();
        var origin = reader.ReadInt64();
        var serializerId = reader.ReadInt32();
        var innerManifest = reader.ReadString();
        var payload = reader.ReadBytes(reader.ReadInt32());
        var message = system.Serialization.Deserialize(payload, serializerId, innerManifest);
        return manifest switch
        {
            Group => new GroupEnvelope(target, message, origin),
            Channel => new ChannelEnvelope(target, message),
            GroupAdd => new RemoteGroupAdd(target, (string)message),
            GroupRemove => new RemoteGroupRemove(target, (string)message),
            _ => throw new SerializationException($"Unknown channel-layer envelope manifest '{manifest}'."),
        };
    }
}
