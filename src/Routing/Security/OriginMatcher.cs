using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing.Security;

/// <summary>
/// Decides whether a WebSocket handshake's <c>Origin</c> header is allowed by a list of patterns: the rule behind
/// Channels' <c>OriginValidator</c> and <c>AllowedHostsOriginValidator</c>, with its quirks fixed.
/// </summary>
/// <remarks>
/// The rules, in order:
/// <list type="number">
/// <item><c>*</c> allows every origin, including a missing one.</item>
/// <item>A missing, empty or <c>null</c> origin (a sandboxed page, a privacy-sensitive context, or a client that is
/// not a browser) is allowed only under <c>*</c>.</item>
/// <item>An origin that cannot be parsed as <c>scheme://host[:port]</c> is refused. A path after the host is ignored,
/// as Channels ignores it.</item>
/// <item>A pattern with a scheme (<c>https://example.com</c>, <c>http://example.com:8080</c>) requires the same scheme,
/// host and port. A missing port means the scheme's default on either side (http and ws 80, https and wss 443), so
/// <c>https://example.com</c> allows <c>https://example.com:443</c> but not <c>https://example.com:8443</c>.</item>
/// <item>A pattern without a scheme (<c>example.com</c>) allows that host with any scheme and any port.</item>
/// <item>A pattern without a scheme but with a port (<c>example.com:8080</c>, <c>localhost:8000</c>,
/// <c>[::1]:8000</c>) allows that host on that port with any scheme; the origin's port counts its scheme's default,
/// so <c>localhost:80</c> allows <c>http://localhost</c>. (In Channels such a pattern never matched anything,
/// because the host was read as a URL scheme.)</item>
/// <item>A leading dot (<c>.example.com</c>) allows <c>example.com</c> and every subdomain of it, with or without a
/// scheme in the pattern (as Django's <c>is_same_domain</c>).</item>
/// <item>Hosts compare case-insensitively; internationalized names compare in their punycode form; IPv6 hosts are
/// written in brackets (<c>[::1]</c>, <c>https://[::1]:8443</c>), or bare in a pattern with no scheme or port
/// (<c>::1</c>), and compare as addresses, so <c>[0:0:0:0:0:0:0:1]</c> is <c>[::1]</c>.</item>
/// <item><c>*.example.com</c> is not a wildcard (as in Channels 2.1 and later): <c>*</c> is not a character a host can
/// hold, so the pattern matches no origin. Write <c>.example.com</c>. Likewise any pattern that cannot be parsed
/// matches nothing rather than throwing.</item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// OriginMatcher.IsAllowed("https://chat.example.com", [".example.com"]);     // true
/// OriginMatcher.IsAllowed("http://localhost:8000", ["localhost:8000"]);      // true (never matched in Channels)
/// OriginMatcher.IsAllowed(null, ["example.com"]);                            // false
/// </code>
/// </example>
public static class OriginMatcher
{
    /// <summary>Whether <paramref name="origin"/> is allowed by any of <paramref name="allowedPatterns"/>.</summary>
    /// <param name="origin">The handshake's <c>Origin</c> header value, or <see langword="null"/> when it has none.</param>
    /// <param name="allowedPatterns">The allowed-origin patterns; see the remarks on <see cref="OriginMatcher"/>.</param>
    public static bool IsAllowed(string? origin, IReadOnlyList<string> allowedPatterns)
    {
        ArgumentNullException.ThrowIfNull(allowedPatterns);
        for (var i = 0; i < allowedPatterns.Count; i++)
        {
            if (allowedPatterns[i] is { } p && p.AsSpan().Trim().SequenceEqual("*"))
                return true;
        }

        if (!TryParseOrigin(origin, out var parsed))
            return false;
        for (var i = 0; i < allowedPatterns.Count; i++)
        {
            if (allowedPatterns[i] is { } p && OriginPattern.TryParse(p, out var pattern) && pattern.Matches(parsed))
                return true;
        }

        return false;
    }

    private static bool TryParseOrigin(string? origin, [NotNullWhen(true)] out OriginAddress? parsed)
    {
        parsed = null;
        var text = origin?.Trim();
        if (string.IsNullOrEmpty(text) || text.Equals("null", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!OriginAddress.TrySplitScheme(text, out var scheme, out var rest) || scheme is null)
            return false;
        if (!OriginAddress.TryParseAuthority(rest, out var host, out var port))
            return false;
        parsed = new OriginAddress(scheme, host, port ?? OriginAddress.DefaultPort(scheme));
        return true;
    }
}
