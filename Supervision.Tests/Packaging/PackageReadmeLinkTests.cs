using System.Text.RegularExpressions;

namespace Supervision.Tests.Packaging;

/// <summary>
/// The package readme is shown on nuget.org, away from the repository: a relative link there does
/// not resolve (and the repository has no public URL), so it names the guide as text instead.
/// </summary>
public partial class PackageReadmeLinkTests
{
    [Test]
    public void The_package_readme_has_no_relative_links()
    {
        var readme = File.ReadAllText(Path.Combine(ReadmeExampleTests.RepositoryRoot(), "Supervision", "README.md"));

        var targets = MarkdownLink().Matches(readme).Select(match => match.Groups["target"].Value);

        targets.Where(target => !target.StartsWith("https://", StringComparison.Ordinal) && !target.StartsWith('#')).Should().BeEmpty();
        readme.Should().Contain("docs/supervision.md in the source repository");
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)")]
    private static partial Regex MarkdownLink();
}
