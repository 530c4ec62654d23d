using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Switchboard.Samples.Chat;

/// <summary>
/// The demo's sign-in: ASP.NET Core cookie authentication with any name and no password. The cookie it issues is what the
/// WebSocket handshake of a private room carries, and what <c>AuthMiddleware</c> turns into the consumer's user.
/// </summary>
internal static class SignIn
{
    private const int MaxNameLength = 40;

    public static void MapSignIn(this WebApplication app)
    {
        app.MapGet("/login/", (HttpContext context, IAntiforgery antiforgery, string? next) =>
            Html(Pages.Login(LocalOrChat(next), Token(context, antiforgery))));

        // Binding from the form makes the endpoint validate the antiforgery token (UseAntiforgery).
        app.MapPost("/login/", async (HttpContext context, [FromForm] string name, [FromForm] string? next) =>
        {
            name = name.Trim();
            if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
            {
                return Results.BadRequest($"A name is 1 to {MaxNameLength} characters.");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(LocalOrChat(next));
        });

        app.MapPost("/logout/", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/chat/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    /// <summary>The page for <paramref name="room"/>: the tutorial's for an open room; for a private one, the sign-in page first.</summary>
    public static IResult RoomPage(HttpContext context, IAntiforgery antiforgery, string room)
    {
        if (!ChatApplication.IsPrivate(room))
        {
            return Html(Pages.Room(room));
        }

        return context.User.Identity is { IsAuthenticated: true, Name: { } user }
            ? Html(Pages.PrivateRoom(room, user, Token(context, antiforgery)))
            : Results.Redirect($"/login/?next={Uri.EscapeDataString($"/chat/{room}/")}");
    }

    private static IResult Html(string page) => Results.Content(page, "text/html; charset=utf-8");

    private static AntiforgeryField Token(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new AntiforgeryField(tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>Only a path on this site: never an open redirect to another one.</summary>
    private static string LocalOrChat(string? next) => next is ['/'] or ['/', not '/' and not '\\', ..] ? next : "/chat/";
}
