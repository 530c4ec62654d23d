using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>A message serialized by a converter that counts how often: <c>{"text": "..."}</c>.</summary>
[JsonConverter(typeof(CountingConverter))]
public sealed class Counted(string text)
{
    private int _serializations;

    public string Text => text;

    public int Serializations => Volatile.Read(ref _serializations);

    private void Serialized() => Interlocked.Increment(ref _serializations);

    private sealed class CountingConverter : JsonConverter<Counted>
    {
        public override Counted Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Counted value, JsonSerializerOptions options)
        {
            value.Serialized();
            writer.WriteStartObject();
            writer.WriteString("text", value.Text);
            writer.WriteEndObject();
        }
    }
}
