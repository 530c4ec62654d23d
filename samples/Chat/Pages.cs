using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Samples.Chat;

/// <summary>The tutorial's two pages, with its browser code unchanged, plus the sign-in page and the private room page.</summary>
internal static class Pages
{
    private static readonly string IndexHtml = Load("index.html");
    private static readonly string RoomHtml = Load("room.html");
    private static readonly string LoginHtml = Load("login.html");
    private static readonly string PrivateRoomHtml = Load("private-room.html");

    public static string Index => IndexHtml;

    /// <summary>The room page; the room name goes in as JSON in a script tag, as Django's <c>json_script</c> does.</summary>
    public static string Room(string room) =>
        RoomHtml.Replace("{{ room_name_json }}", JsonScript(room), StringComparison.Ordinal);

    /// <summary>A private room's page: the room page with the signed-in user's name and a sign-out button.</summary>
    public static string PrivateRoom(string room, string user, AntiforgeryField token) =>
        WithToken(PrivateRoomHtml, token)
            .Replace("{{ user_name }}", HtmlEncoder.Default.Encode(user), StringComparison.Ordinal)
            .Replace("{{ room_name_json }}", JsonScript(room), StringComparison.Ordinal);

    /// <summary>The sign-in form; <paramref name="next"/> is where to go once signed in.</summary>
    public static string Login(string next, AntiforgeryField token) =>
        WithToken(LoginHtml, token).Replace("{{ next }}", HtmlEncoder.Default.Encode(next), StringComparison.Ordinal);

    private static string WithToken(string html, AntiforgeryField token) => html
        .Replace("{{ token_field }}", HtmlEncoder.Default.Encode(token.Name), StringComparison.Ordinal)
        .Replace("{{ token }}", HtmlEncoder.Default.Encode(token.Value), StringComparison.Ordinal);

    private static string JsonScript(string value) =>
        JsonSerializer.Serialize(value).Replace("<", "\\u003C", StringComparison.Ordinal).Replace(">", "\\u003E", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);

    private static string Load(string name)
    {
        using var stream = typeof(Pages).Assembly.GetManifestResourceStream($"Switchboard.Samples.Chat.Pages.{name}")
            ?? throw new InvalidOperationException($"Page {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The hidden form field that carries an antiforgery token.</summary>
internal sealed record AntiforgeryField(string Name, string Value);
