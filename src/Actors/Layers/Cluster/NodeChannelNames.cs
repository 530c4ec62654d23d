using System.Text;
using Akka.Actor;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// Channel names that say which node a consumer lives on: <c>{prefix}.node-{hex of host:port}!{random}</c>.
/// Any node decodes the address and sends straight to that node's hub; a name without a node part is local.
/// </summary>
internal static class NodeChannelNames
{
    private const string Marker = "node-";

    public static string NodeSegment(Address address) =>
        Marker + Convert.ToHexStringLower(Encoding.UTF8.GetBytes($"{address.Host}:{address.Port}"));

    /// <summary>The host and port encoded in <paramref name="channel"/>, or null when it names no node.</summary>
    public static (string Host, int Port)? NodeOf(string channel)
    {
        var bang = channel.IndexOf('!', StringComparison.Ordinal);
        if (bang < 0)
        {
            return null;
        }

        var dot = channel.LastIndexOf('.', bang);
        var segment = channel.AsSpan(dot + 1, bang - dot - 1);
        if (!segment.StartsWith(Marker, StringComparison.Ordinal) || (segment.Length - Marker.Length) % 2 != 0)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(segment[Marker.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (text[..colon], port)
            : null;
    }
}
