using System.Buffers.Text;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// What a message's text carries: <c>sender:sequence:timestamp</c> (the timestamp in <see cref="System.Diagnostics.Stopwatch"/>
/// ticks of this process), then optional padding. Every receipt is matched to its send by it.
/// </summary>
/// <param name="Sender">The sending client's index.</param>
/// <param name="Sequence">The sender's message number, from 1, one more each message.</param>
/// <param name="Stamp">When the message was (meant to be) sent.</param>
public readonly record struct Payload(int Sender, long Sequence, long Stamp)
{
    /// <summary>The most bytes <see cref="Write"/> takes without padding.</summary>
    public const int MaxLength = 11 + 1 + 20 + 1 + 20;

    /// <summary>Writes the text as ASCII; returns its length.</summary>
    public int Write(Span<byte> destination, int padding)
    {
        Utf8Formatter.TryFormat(Sender, destination, out var written);
        destination[written++] = (byte)':';
        Utf8Formatter.TryFormat(Sequence, destination[written..], out var more);
        written += more;
        destination[written++] = (byte)':';
        Utf8Formatter.TryFormat(Stamp, destination[written..], out more);
        written += more;
        if (padding > 0)
        {
            destination[written++] = (byte)':';
            destination.Slice(written, padding).Fill((byte)'x');
            written += padding;
        }

        return written;
    }

    /// <summary>Reads a text written by <see cref="Write"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out Payload payload)
    {
        payload = default;
        if (!Utf8Parser.TryParse(text, out int sender, out var used) || used >= text.Length || text[used] != ':')
        {
            return false;
        }

        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out long sequence, out used) || used >= text.Length || text[used] != ':')
        {
            return false;
        }

        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out long stamp, out used) || (used < text.Length && text[used] != ':'))
        {
            return false;
        }

        payload = new Payload(sender, sequence, stamp);
        return true;
    }
}
