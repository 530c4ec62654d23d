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
    private readonly ManifestNames _manifests = new();

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
                // The count, then each name as below: BinaryWriter's layout, as the envelopes.
                var size = sizeof(int);
                foreach (var group in here.Groups)
                {
                    var length = Encoding.UTF8.GetByteCount(group);
                    size += PrefixLength(length) + length;
                }

                var groups = new byte[size];
                BinaryPrimitives.WriteInt32LittleEndian(groups, here.Groups.Count);
                var names = groups.AsSpan(sizeof(int));
                foreach (var group in here.Groups)
                {
                    WriteString(ref names, group, Encoding.UTF8.GetByteCount(group));
                }

                return groups;
            }
        }

        var serializer = system.Serialization.FindSerializerFor(envelope.Message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, envelope.Message);
        var payload = serializer.ToBinary(envelope.Message);
        // The layout BinaryWriter gives (length-prefixed UTF-8 strings, little-endian numbers), written straight into one
        // array of the exact size: nodes of every version read each other's envelopes.
        var targetLength = Encoding.UTF8.GetByteCount(envelope.Target);
        var manifestLength = Encoding.UTF8.GetByteCount(manifest);
        var bytes = new byte[PrefixLength(targetLength) + targetLength + sizeof(long) + sizeof(int) + PrefixLength(manifestLength) + manifestLength + sizeof(int) + payload.Length];
        var rest = bytes.AsSpan();
        WriteString(ref rest, envelope.Target, targetLength);
        BinaryPrimitives.WriteInt64LittleEndian(rest, envelope is GroupEnvelope sent ? sent.Origin : 0L);
        BinaryPrimitives.WriteInt32LittleEndian(rest[sizeof(long)..], serializer.Identifier);
        rest = rest[(sizeof(long) + sizeof(int))..];
        WriteString(ref rest, manifest, manifestLength);
        BinaryPrimitives.WriteInt32LittleEndian(rest, payload.Length);
        payload.CopyTo(rest[sizeof(int)..]);
        return bytes;
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
        }

        string target;
        long origin;
        int serializerId;
        string innerManifest;
        byte[] payload;
        try
        {
            var rest = new ReadOnlySpan<byte>(bytes);
            if (manifest is GroupsManifest or GroupsReplyManifest)
            {
                var names = new string[BinaryPrimitives.ReadInt32LittleEndian(rest)];
                rest = rest[sizeof(int)..];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = Encoding.UTF8.GetString(ReadPrefixed(ref rest));
                }

                return new GroupsHere(names, manifest == GroupsReplyManifest);
            }

            target = Encoding.UTF8.GetString(ReadPrefixed(ref rest));
            origin = BinaryPrimitives.ReadInt64LittleEndian(rest);
            serializerId = BinaryPrimitives.ReadInt32LittleEndian(rest[sizeof(long)..]);
            rest = rest[(sizeof(long) + sizeof(int))..];
            innerManifest = _manifests.Get(ReadPrefixed(ref rest));
            var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
            payload = rest.Slice(sizeof(int), length).ToArray();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new SerializationException($"A channel-layer message ('{manifest}') of {bytes.Length} bytes is truncated or malformed.", e);
        }

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

    /// <summary>How many bytes BinaryWriter's 7-bit length prefix takes for <paramref name="length"/>.</summary>
    private static int PrefixLength(int length)
    {
        var bytes = 1;
        while (length >= 0x80)
        {
            length >>= 7;
            bytes++;
        }

        return bytes;
    }

    /// <summary>Writes <paramref name="text"/> as BinaryWriter.Write(string) does: its UTF-8 length in 7-bit groups, then the bytes.</summary>
    private static void WriteString(ref Span<byte> rest, string text, int length)
    {
        var value = (uint)length;
        var at = 0;
        while (value >= 0x80)
        {
            rest[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        rest[at++] = (byte)value;
        Encoding.UTF8.GetBytes(text, rest.Slice(at, length));
        rest = rest[(at + length)..];
    }

    /// <summary>Reads the bytes of a string written by <see cref="WriteString"/> (or BinaryWriter) and moves past them.</summary>
    private static ReadOnlySpan<byte> ReadPrefixed(ref ReadOnlySpan<byte> rest)
    {
        var length = 0;
        var shift = 0;
        var at = 0;
        byte next;
        do
        {
            if (shift > 28)
            {
                throw new ArgumentOutOfRangeException(nameof(rest), "A string's length prefix is longer than five bytes.");
            }

            next = rest[at++];
            length |= (next & 0x7F) << shift;
            shift += 7;
        }
        while ((next & 0x80) != 0);

        var text = rest.Slice(at, length);
        rest = rest[(at + length)..];
        return text;
    }

    /// <summary>
    /// The inner manifests seen on the wire, so that an envelope's (the same few type names over and over) is not a new
    /// string every time; bounded, past which a manifest is simply decoded.
    /// </summary>
    private sealed class ManifestNames
    {
        private const int Limit = 256;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > 512)
            {
                return Encoding.UTF8.GetString(utf8);
            }

            Span<char> chars = stackalloc char[Encoding.UTF8.GetMaxCharCount(utf8.Length)];
            chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
            if (_names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var known))
            {
                return known;
            }

            var name = new string(chars);
            return _names.Count < Limit ? _names.GetOrAdd(name, name) : name;
        }
    }
}
