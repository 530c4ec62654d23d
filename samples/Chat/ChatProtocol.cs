using System.Text.Json;

namespace Switchboard.Samples.Chat;

/// <summary>The tutorial's wire protocol, shared by the open and the private rooms' consumers.</summary>
internal static class ChatProtocol
{
    /// <summary>The close code for a frame that is JSON but not <c>{"message": "..."}</c>.</summary>
    public const int BadMessage = 4400;

    /// <summary>The text of a client's <c>{"message": "..."}</c>, or <see langword="null"/> when the frame is not that.</summary>
    public static string? ReadMessage(JsonElement content) =>
        content.ValueKind == JsonValueKind.Object && content.TryGetProperty("message", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
