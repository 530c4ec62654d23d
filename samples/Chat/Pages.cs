using System.Net;
using System.Text.Json;

namespace Switchboard.Samples.Chat;

/// <summary>The tutorial's two pages, with its browser code unchanged.</summary>
internal static class Pages
{
    private static readonly string IndexHtml = Load("index.html");
    private static readonly string RoomHtml = Load("room.html");

    public static string Index => IndexHtml;

    /// <summary>The room page; the room name goes in as JSON in a script tag, as Django's <c>json_script</c> does.</summary>
    public static string Room(string room) =>
        RoomHtml.Replace("{{ room_name_json }}", JsonScript(room), StringComparison.Ordinal);

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
