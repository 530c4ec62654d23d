using System.Text.RegularExpressions;

namespace Switchboard.Tests.Shared;

/// <summary>
/// The fenced csharp blocks of the repository's Markdown, for the tests that hold documentation examples to code that
/// compiles (linked into the test projects that need it).
/// </summary>
internal static partial class MarkdownExamples
{
    /// <summary>The directory that holds Actors.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} contains Actors.sln.");
    }

    /// <summary>A file's text with every line ending as '\n'.</summary>
    public static string ReadNormalized(string path) => Normalize(File.ReadAllText(path));

    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>The code of each fenced csharp block, without leading and trailing blank lines.</summary>
    public static List<string> CSharpBlocks(string markdown) =>
        [.. FencedCSharp().Matches(markdown).Select(m => TrimBlankLines(m.Groups["code"].Value))];

    /// <summary>How many csharp fences open in <paramref name="markdown"/>, matched or not (an indented or unclosed one escapes <see cref="CSharpBlocks"/>).</summary>
    public static int CSharpFences(string markdown) => Regex.Count(markdown, "```csharp");

    /// <summary>A block's paragraphs: its runs of lines between blank lines.</summary>
    public static List<string> Paragraphs(string block) =>
        [.. Regex.Split(block, @"\n[ \t]*\n").Select(TrimBlankLines).Where(p => p.Length > 0)];

    /// <summary>
    /// Whether <paramref name="code"/> holds <paramref name="paragraph"/> line by line, every line indented by the same
    /// number of spaces (so that an example can sit inside a class or a method).
    /// </summary>
    public static bool ContainsIndented(string code, string paragraph)
    {
        for (var indent = 0; indent <= 16; indent += 4)
        {
            var prefix = new string(' ', indent);
            var indented = string.Join('\n', paragraph.Split('\n').Select(line => line.Length == 0 ? line : prefix + line));
            if (("\n" + code).Contains("\n" + indented + "\n", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string TrimBlankLines(string code)
    {
        var lines = code.Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^```csharp[ \t]*\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCSharp();
}
