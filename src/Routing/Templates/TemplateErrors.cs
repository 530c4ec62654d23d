namespace Switchboard.Routing.Templates;

/// <summary>Builds the exception for a malformed route template, so every message names the template.</summary>
internal static class TemplateErrors
{
    public static ArgumentException Invalid(string template, string detail) =>
        new($"Invalid route template '{template}': {detail}", "template");
}
