using System.Text.RegularExpressions;

namespace Switchboard.Testing.Tests.Docs;

/// <summary>The guide's examples are compiled and run: each csharp block of docs/testing.md is code in TestingGuideExamples.cs.</summary>
public sealed partial class TestingGuideTests
{
    [Fact]
    public void DocsExamples_AreTheSameCodeAsTheGuide()
    {
        var root = RepositoryRoot();
        var guide = Normalize(File.ReadAllText(Path.Combine(root, "docs", "testing.md")));
        var examples = Normalize(File.ReadAllText(Path.Combine(root, "tests", "Testing.Tests", "Docs", "TestingGuideExamples.cs")));

        var blocks = CSharpBlocks(guide);

        Assert.True(blocks.Count >= 10, $"Expected the guide's examples, found {blocks.Count} csharp blocks.");
        Assert.Equal(Regex.Count(guide, "```csharp"), blocks.Count); // an indented or unclosed fence would escape the check
        var missing = blocks.Where(block => !examples.Contains(block, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            "These csharp blocks of docs/testing.md are not (verbatim) in TestingGuideExamples.cs; change both together:\n\n" +
            string.Join("\n\n----\n\n", missing));
    }

    [Fact]
    public void CSharpBlocks_TrimsBlankLinesAndIgnoresOtherLanguages()
    {
        var markdown = Normalize("Intro\r\n\r\n```csharp\r\n\r\nvar x = 1;\r\n  var y = 2;\r\n\r\n```\r\n\r\n```xml\r\n<a/>\r\n```\r\n");

        Assert.Equal(["var x = 1;\n  var y = 2;"], CSharpBlocks(markdown));
    }

    private static List<string> CSharpBlocks(string markdown) =>
        [.. FencedCSharp().Matches(markdown).Select(m => TrimBlankLines(m.Groups["code"].Value))];

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

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

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"^```csharp[ \t]*\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCSharp();
}
