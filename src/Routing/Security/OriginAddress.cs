using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Routing.Security;

/// <summary>
/// The parts of an origin (<c>https://example.com:8443</c>) or of an origin pattern that matching compares: a lowercase
/// scheme, a normalized host, and a port. Parsing is done here rather than by <see cref="Uri"/> so that a pattern with
/// no scheme (<c>example.com:8080</c>) is read as a host and a port, never as a scheme.
/// </summary>
internal sealed record OriginAddress(string? Scheme, string Host, int? Port)
{
    // Checked once per handshake: spans and these tables, not LINQ over strings (an enumerator and a delegate per call).
    private static readonly SearchValues<char> AuthorityEnd = SearchValues.Create("/?#");
    private static readonly SearchValues<char> SchemeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    private static readonly SearchValues<char> HostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>The default port of a scheme that has one (http and ws 80, https and wss 443).</summary>
    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => null,
    };

    /// <summary>Splits <c>scheme://</c> off <paramref name="text"/>; <see langword="null"/> scheme when there is no <c>://</c>.</summary>
    public static bool TrySplitScheme(string text, out string? scheme, out string rest)
    {
        scheme = null;
        rest = text;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
            return true;
        var candidate = text[..separator];
        rest = text[(separator + 3)..];
        if (candidate.Length == 0 || !char.IsAsciiLetter(candidate[0]) ||
            candidate.AsSpan().ContainsAnyExcept(SchemeChars))
            return false;
        scheme = candidate.ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// Reads <c>[userinfo@]host[:port][/path...]</c>: the path, query and fragment are ignored, as are credentials;
    /// the port is <see langword="null"/> when absent or empty. IPv6 hosts are bracketed and come back in their short
    /// form (<c>[::1]</c>); other hosts are lowercased, in their IDN (punycode) form.
    /// </summary>
    public static bool TryParseAuthority(string text, out string host, out int? port)
    {
        host = "";
        port = null;
        var end = text.AsSpan().IndexOfAny(AuthorityEnd);
        var authority = end < 0 ? text : text[..end];
        authority = authority[(authority.LastIndexOf('@') + 1)..];

        string portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !TryIPv6(authority[1..close], out host))
                return false;
            portText = authority[(close + 1)..];
            if (portText.Length > 0 && portText[0] != ':')
                return false;
            portText = portText.TrimStart(':');
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            var hostText = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[(colon + 1)..];
            if (!TryDnsHost(hostText, out host))
                return false;
        }

        if (portText.Length == 0)
            return true;
        if (portText.Length > 5 || portText.AsSpan().ContainsAnyExceptInRange('0', '9') ||
            !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            return false;
        port = number;
        return true;
    }

    /// <summary>Reads an IPv6 address without brackets (<c>::1</c>) into its bracketed short form (<c>[::1]</c>).</summary>
    public static bool TryIPv6(string text, out string host)
    {
        host = "";
        // IPAddress.TryParse also takes "[::1]:8000" and drops the port, so brackets are refused here.
        if (text.Contains('[', StringComparison.Ordinal) ||
            !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        host = $"[{address}]";
        return true;
    }

    private static bool TryDnsHost(string text, out string host)
    {
        host = "";
        if (text.Length == 0)
            return false;
        if (!System.Text.Ascii.IsValid(text))
        {
            try
            {
                text = new IdnMapping().GetAscii(text);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        // Letters, digits, '-', '_' and non-empty dot-separated labels. This refuses '*', so "*.example.com" is no host.
        if (text.AsSpan().ContainsAnyExcept(HostChars) ||
            text.StartsWith('.') || text.EndsWith('.') || text.Contains("..", StringComparison.Ordinal))
            return false;
        host = text.ToLowerInvariant();
        return true;
    }
}
