using System.Collections.Immutable;

namespace Switchboard.Actors;

/// <summary>
/// Builds the request-derived fields of a scope the way the gateway does, so that an in-memory
/// transport (the communicators) and Kestrel agree on path decoding, query string, headers and cookies.
/// </summary>
public static class ScopeParsing
{
    /// <summary>A scope of <paramref name="type"/> for a request target such as <c>/ws/chat/lobby/?a=1</c>.</summary>
    public static ConnectionScope FromTarget(string type, string target, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var fragment = target.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            target = target[..fragment];
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query >= 0 ? target[..query] : target;
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            rawPath = "/" + rawPath;
        }

        var headerList = NormalizeHeaders(headers ?? []);
        return new ConnectionScope
        {
            Type = type,
            RawPath = rawPath,
            Path = DecodePath(rawPath),
            QueryString = query >= 0 ? target[(query + 1)..] : "",
            Headers = headerList,
            Cookies = ParseCookies(headerList),
            Subprotocols = ParseSubprotocols(headerList),
        };
    }

    /// <summary>Percent-decodes a path as UTF-8, keeping <c>%2F</c> as a literal <c>/</c> (as ASGI servers do).</summary>
    public static string DecodePath(string rawPath) => Uri.UnescapeDataString(rawPath);

    /// <summary>Header names lower-cased, order and duplicates kept.</summary>
    public static ImmutableArray<KeyValuePair<string, string>> NormalizeHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
        {
            builder.Add(new(name.ToLowerInvariant(), value));
        }

        return builder.ToImmutable();
    }

    private static readonly ImmutableDictionary<string, string> NoCookies = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The cookies of every <c>cookie</c> header; on a repeated name the first one wins.</summary>
    public static ImmutableDictionary<string, string> ParseCookies(IEnumerable<KeyValuePair<string, string>> headers)
    {
        // Made at the first cookie header: a handshake without cookies, the usual WebSocket client, allocates nothing here.
        ImmutableDictionary<string, string>.Builder? cookies = null;
        foreach (var (name, value) in headers)
        {
            if (!string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            cookies ??= ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var part in value.Split(';'))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var key = (eq >= 0 ? part[..eq] : part).Trim();
                if (key.Length == 0 || cookies.ContainsKey(key))
                {
                    continue;
                }

                var cookieValue = eq >= 0 ? part[(eq + 1)..].Trim() : "";
                if (cookieValue.Length >= 2 && cookieValue[0] == '"' && cookieValue[^1] == '"')
                {
                    cookieValue = cookieValue[1..^1];
                }

                cookies[key] = Uri.UnescapeDataString(cookieValue);
            }
        }

        return cookies?.ToImmutable() ?? NoCookies;
    }

    /// <summary>The subprotocols offered in every <c>sec-websocket-protocol</c> header, in order.</summary>
    public static ImmutableArray<string> ParseSubprotocols(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ImmutableArray<string>.Builder? builder = null;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "sec-websocket-protocol", StringComparison.OrdinalIgnoreCase))
            {
                builder ??= ImmutableArray.CreateBuilder<string>();
                foreach (var part in value.Split(','))
                {
                    var protocol = part.Trim();
                    if (protocol.Length > 0)
                    {
                        builder.Add(protocol);
                    }
                }
            }
        }

        return builder?.ToImmutable() ?? [];
    }
}
