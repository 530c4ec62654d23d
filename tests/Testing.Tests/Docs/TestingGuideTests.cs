using Switchboard.Tests.Shared;

namespace Switchboard.Testing.Tests.Docs;

/// <summary>The guide's examples are compiled and run: each csharp block of docs/testing.md is code in TestingGuideExamples.cs.</summary>
public sealed class TestingGuideTests
{
    [Fact]
    public void DocsExamples_AreTheSameCodeAsTheGuide()
    {
        var root = MarkdownExamples.RepositoryRoot();
        var guide = MarkdownExamples.ReadNormalized(Path.Combine(root, "docs", "testing.md"));
        var examples = MarkdownExamples.ReadNormalized(Path.Combine(root, "tests", "Testing.Tests", "Docs", "TestingGuideExamples.cs"));

        var blocks = MarkdownExamples.CSharpBlocks(guide);

        Assert.True(blocks.Count >= 10, $"Expected the guide's examples, found {blocks.Count} csharp blocks.");
        Assert.Equal(MarkdownExamples.CSharpFences(guide), blocks.Count); // an indented or unclosed fence would escape the check
        var missing = blocks.Where(block => !examples.Contains(block, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            "These csharp blocks of docs/testing.md are not (verbatim) in TestingGuideExamples.cs; change both together:\n\n" +
            string.Join("\n\n----\n\n", missing));
    }

    [Fact]
    public void CSharpBlocks_TrimsBlankLinesAndIgnoresOtherLanguages()
    {
        var markdown = MarkdownExamples.Normalize("Intro\r\n\r\n```csharp\r\n\r\nvar x = 1;\r\n  var y = 2;\r\n\r\n```\r\n\r\n```xml\r\n<a/>\r\n```\r\n");

        Assert.Equal(["var x = 1;\n  var y = 2;"], MarkdownExamples.CSharpBlocks(markdown));
    }
}
