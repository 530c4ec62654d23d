using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing.Security;

/// <summary>
/// One allowed-origin pattern, parsed. <see cref="Scheme"/> is <see langword="null"/> for a scheme-less pattern;
/// <see cref="Port"/> is the pattern's port (for a pattern with a scheme, its default port when none is written).
/// </summary>
internal sealed record OriginPattern(string? Scheme, string Host, bool IncludesSubdomains, int? Port)
{
    /// <summary>Parses <paramref name="pattern"/>; <see langword="false"/> for a pattern that can match no origin.</summary>
    public static bool TryParse(string pattern, [NotNullWhen(true)] out OriginPattern? parsed)
    {
        parsed = null;
        var text = pattern.Trim();
        if (!OriginAddress.TrySplitScheme(text, out var scheme, out var rest))
            return false;

        var includesSubdomains = rest.StartsWith('.');
        if (includesSubdomains)
            rest = rest[1..];

        string host;
        int? port;
        if (scheme is null && !includesSubdomains && OriginAddress.TryIPv6(rest, out var ipv6))
            (host, port) = (ipv6, null);
        else if (!OriginAddress.TryParseAuthority(rest, out host, out port))
            return false;
        if (includesSubdomains && host.StartsWith('['))
            return false;

        parsed = new OriginPattern(scheme, host, includesSubdomains, scheme is null ? port : port ?? OriginAddress.DefaultPort(scheme));
        return true;
    }

    /// <summary>Whether <paramref name="origin"/> (scheme, host and effective port) satisfies this pattern.</summary>
    public bool Matches(OriginAddress origin)
    {
        if (Scheme is not null && Scheme != origin.Scheme)
            return false;
        // With a scheme the ports must be equal (both defaulted from their schemes); without one, a port is checked only if written.
        if ((Scheme is not null || Port is not null) && Port != origin.Port)
            return false;
        return origin.Host == Host || (IncludesSubdomains && origin.Host.EndsWith("." + Host, StringComparison.Ordinal));
    }
}
