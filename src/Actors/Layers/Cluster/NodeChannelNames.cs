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

        // The node segment is one of the dot-separated parts before the '!' (a prefix may add parts around it).
        byte[]? bytes = null;
        foreach (var part in channel[..bang].Split('.'))
        {
            if (part.StartsWith(Marker, StringComparison.Ordinal) && (part.Length - Marker.Length) % 2 == 0)
            {
                try
                {
                    bytes = Convert.FromHexString(part.AsSpan(Marker.Length));
                    break;
                }
                catch (FormatException)
                {
                    // Not ours: keep looking.
                }
            }
        }

        if (bytes is null)
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
