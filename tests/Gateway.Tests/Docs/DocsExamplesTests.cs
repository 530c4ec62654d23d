using Akka.TestKit.Xunit2;
using Switchboard.Actors;
using Switchboard.Actors.Layers;
using Switchboard.Gateway.Tests.Docs.ChannelLayers;
using Switchboard.Testing;
using Switchboard.Tests.Shared;

namespace Switchboard.Gateway.Tests.Docs;

/// <summary>
/// The examples of the README and of docs/ are code that compiles: every paragraph of every csharp block is, verbatim
/// (indented as a whole), in the examples file of its page here (docs/testing.md has its own check, in Testing.Tests).
/// Some are also run: the README's program (ReadmeExampleTests) and the echo consumer of docs/consumers.md.
/// </summary>
public sealed class DocsExamplesTests : TestKit
{
    private static readonly string Root = MarkdownExamples.RepositoryRoot();

    /// <summary>Every page with csharp blocks, but docs/testing.md.</summary>
    public static TheoryData<string> Pages
    {
        get
        {
            var pages = new TheoryData<string>();
            foreach (var page in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md")).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Root, page).Replace('\\', '/');
                if (relative != "docs/testing.md" && MarkdownExamples.CSharpFences(File.ReadAllText(page)) > 0)
                {
                    pages.Add(relative);
                }
            }

            return pages;
        }
    }

    [Fact]
    public void Pages_IncludeTheReadmeAndTheGuides()
    {
        var pages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Pages)
        {
            pages.Add(row);
        }

        Assert.Superset(new HashSet<string>(["README.md", "docs/consumers.md", "docs/middleware.md", "docs/routing.md"], StringComparer.Ordinal), pages);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Examples_AreCodeThatCompiles(string page)
    {
        var markdown = MarkdownExamples.ReadNormalized(Path.Combine(Root, page));
        var examplesFile = Path.Combine(Root, "tests", "Gateway.Tests", "Docs", ExamplesFileOf(page));
        Assert.True(File.Exists(examplesFile), $"{page} has csharp blocks; put them in tests/Gateway.Tests/Docs/{ExamplesFileOf(page)}.");
        var examples = MarkdownExamples.ReadNormalized(examplesFile);

        var blocks = MarkdownExamples.CSharpBlocks(markdown);

        Assert.Equal(MarkdownExamples.CSharpFences(markdown), blocks.Count); // an indented or unclosed fence would escape the check
        var missing = blocks.SelectMany(MarkdownExamples.Paragraphs).Where(p => !MarkdownExamples.ContainsIndented(examples, p)).ToList();
        Assert.True(missing.Count == 0,
            $"These paragraphs of {page}'s csharp blocks are not (verbatim) in {ExamplesFileOf(page)}; change both together:\n\n" +
            string.Join("\n\n----\n\n", missing));
    }

    [Fact]
    public void ContainsIndented_NeedsEveryLineAtTheSameIndent()
    {
        var code = "class A\n{\n    void M()\n    {\n        x();\n    }\n}";

        Assert.True(MarkdownExamples.ContainsIndented(code, "void M()\n{\n    x();\n}"));
        Assert.False(MarkdownExamples.ContainsIndented(code, "void M()\n{\nx();\n}"));
        Assert.False(MarkdownExamples.ContainsIndented(code, "void N()"));
        Assert.Equal(["a\nb", "c"], MarkdownExamples.Paragraphs("a\nb\n\n  \nc\n"));
    }

    /// <summary>docs/channel-layers.md sums the interface up without cancellation tokens: the rest must be the real one.</summary>
    [Fact]
    public void ChannelLayersSummary_MatchesIChannelLayer()
    {
        foreach (var documented in typeof(IDocumentedChannelLayer).GetMethods())
        {
            var parameters = documented.GetParameters();
            var real = typeof(IChannelLayer).GetMethods().Where(m => m.Name == documented.Name && m.ReturnType == documented.ReturnType).ToList();
            Assert.True(real.Count > 0, $"IChannelLayer has no {documented.ReturnType.Name} {documented.Name}.");
            Assert.Contains(real, m =>
            {
                var actual = m.GetParameters();
                return actual.Length >= parameters.Length
                    && parameters.Zip(actual).All(p => p.First.Name == p.Second.Name && p.First.ParameterType == p.Second.ParameterType && Equals(p.First.DefaultValue, p.Second.DefaultValue))
                    && actual.Skip(parameters.Length).All(p => p.IsOptional);
            });
        }
    }

    [Fact]
    public async Task ConsumersGuide_EchoConsumer_CountsThisConnectionsMessages()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<Consumers.EchoConsumer>(), "/ws/echo/");
        Assert.True((await communicator.ConnectAsync()).Accepted);

        await communicator.SendToAsync("hello");
        Assert.Equal("1: hello", (await communicator.ReceiveFromAsync()).Text);
        await communicator.SendToAsync("again");
        Assert.Equal("2: again", (await communicator.ReceiveFromAsync()).Text);
        await communicator.SendToAsync([7, 8]);
        Assert.Equal([7, 8], (await communicator.ReceiveFromAsync()).Bytes);
    }

    /// <summary>README.md: ReadmeExamples.cs; docs/channel-layers.md: ChannelLayersExamples.cs.</summary>
    private static string ExamplesFileOf(string page)
    {
        var name = Path.GetFileNameWithoutExtension(page);
        var pascal = name == "README" ? "Readme" : string.Concat(name.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        return pascal + "Examples.cs";
    }
}
