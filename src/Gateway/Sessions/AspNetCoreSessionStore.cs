using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Sessions;

/// <summary>
/// The gateway's session store: ASP.NET Core's own sessions (<c>AddSession()</c> over an <c>IDistributedCache</c>), read
/// the way its <c>SessionMiddleware</c> reads them, so that an HTTP request and a WebSocket consumer share one session.
/// The cookie holds the session key protected with Data Protection; the cache holds the session in ASP.NET Core's format,
/// written and read by ASP.NET Core's own <see cref="ISessionStore"/>.
/// </summary>
internal sealed partial class AspNetCoreSessionStore(IServiceProvider services, IOptions<SessionOptions> options, ILogger<AspNetCoreSessionStore> logger)
    : IConnectionSessionStore
{
    // What ASP.NET Core's SessionMiddleware protects the key with (its purpose is nameof(SessionMiddleware)), and the
    // length of a key it issues (a Guid's "D" format); anything else is not one of its keys.
    private const string ProtectorPurpose = "SessionMiddleware";
    private const int SessionKeyLength = 36;

    private readonly Lazy<(ISessionStore Store, IDataProtector Protector)> _aspNetCore = new(() =>
        (services.GetService<ISessionStore>() ?? throw new InvalidOperationException(
                "SessionMiddleware needs ASP.NET Core sessions: call builder.Services.AddDistributedMemoryCache() (or another " +
                "IDistributedCache) and builder.Services.AddSession()."),
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectorPurpose)));

    /// <inheritdoc />
    public string CookieName => options.Value.Cookie.Name ?? Routing.Middleware.SessionMiddleware.DefaultCookieName;

    /// <inheritdoc />
    public async ValueTask<IConnectionSession> LoadAsync(string? sessionKey, CancellationToken cancellationToken = default)
    {
        var (store, protector) = _aspNetCore.Value;
        var key = Unprotect(protector, sessionKey);
        var session = key is null
            ? new AspNetCoreConnectionSession(store, NewKey(), options.Value, isNewKey: true)
            : new AspNetCoreConnectionSession(store, key, options.Value, isNewKey: false);
        await session.LoadAsync(cancellationToken);
        return session;
    }

    private string? Unprotect(IDataProtector protector, string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            var padded = cookie.PadRight(cookie.Length + ((4 - (cookie.Length % 4)) % 4), '=');
            var key = Encoding.UTF8.GetString(protector.Unprotect(Convert.FromBase64String(padded)));
            return key.Length == SessionKeyLength ? key : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            // Never the cookie itself: it is a credential.
            Log.UnreadableCookie(logger, e);
            return null;
        }
    }

    private static string NewKey()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return new Guid(bytes).ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The session cookie of a WebSocket handshake could not be unprotected; the connection gets a new session.")]
        public static partial void UnreadableCookie(ILogger logger, Exception error);
    }
}
