using System.Globalization;
using System.Text;
using Akka.Actor;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// Channel names that say which node a consumer lives on: <c>{prefix}.node-{hex of host:port}!{random}</c>.
/// Any node decodes the address and sends straight to that node's hub; a name without a node part is local.
/// </summary>
/// <remarks>Every direct send and every group join or leave reads a channel name, so finding the node segment
/// allocates nothing; only the host of another node's name is decoded into a string.</remarks>
internal static class NodeChannelNames
{
    private const string Marker = "node-";

    /// <summary>Longest host:port we decode (a DNS name is at most 253 bytes).</summary>
    private const int MaxAddressBytes = 512;

    public static string NodeSegment(Address address) =>
        Marker + Convert.ToHexStringLower(Encoding.UTF8.GetBytes($"{address.Host}:{address.Port}"));

    /// <summary>
    /// The node segment (<c>node-</c> and an even count of hex digits) among the dot-separated parts before the
    /// '!' of <paramref name="channel"/> (a prefix may add parts around it); empty when there is none.
    /// </summary>
    public static ReadOnlySpan<char> SegmentOf(ReadOnlySpan<char> channel)
    {
        var bang = channel.IndexOf('!');
        if (bang < 0)
        {
            return [];
        }

        foreach (var range in channel[..bang].Split('.'))
        {
            var part = channel[range];
            if (part.StartsWith(Marker, StringComparison.Ordinal) && IsHexPairs(part[Marker.Length..]))
            {
                return part;
            }
        }

        return [];
    }

    /// <summary>The host and port encoded in <paramref name="channel"/>, or null when it names no node.</summary>
    public static (string Host, int Port)? NodeOf(string channel) => NodeOfSegment(SegmentOf(channel));

    /// <summary>The host and port a segment found by <see cref="SegmentOf"/> encodes, or null for none or not host:port.</summary>
    public static (string Host, int Port)? NodeOfSegment(ReadOnlySpan<char> segment)
    {
        var hex = segment.IsEmpty ? [] : segment[Marker.Length..];
        if (hex.IsEmpty || hex.Length / 2 > MaxAddressBytes)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[hex.Length / 2];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        bytes = bytes[..written];
        var colon = bytes.LastIndexOf((byte)':');
        if (colon <= 0 || !int.TryParse(bytes[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        return (Encoding.UTF8.GetString(bytes[..colon]), port);
    }

    private static bool IsHexPairs(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty || digits.Length % 2 != 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
