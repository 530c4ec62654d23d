using System.Text;

namespace Switchboard.Routing.Templates;

/// <summary>
/// Rewrites Python's named-group syntax, which .NET rejects, into .NET's: <c>(?P&lt;name&gt;…)</c> becomes
/// <c>(?&lt;name&gt;…)</c> and <c>(?P=name)</c> becomes <c>\k&lt;name&gt;</c>, so that a Channels <c>re_path</c>
/// pattern can be pasted unchanged. Escaped characters and character classes are left alone.
/// </summary>
internal static class PythonRegexSyntax
{
    public static string ToDotNet(string pattern)
    {
        if (!pattern.Contains("(?P", StringComparison.Ordinal))
            return pattern;

        var result = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
            }
            else if (inClass)
            {
                inClass = c != ']';
                result.Append(c);
            }
            else if (c == '[')
            {
                inClass = true;
                result.Append(c);
                // A ']' first in a class (after an optional '^') is a literal, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    result.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    result.Append(pattern[++i]);
            }
            else if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                result.Append("(?<");
                i += 3;
            }
            else if (string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0 && pattern.IndexOf(')', i) is var close and > 0)
            {
                result.Append(@"\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                i = close;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
