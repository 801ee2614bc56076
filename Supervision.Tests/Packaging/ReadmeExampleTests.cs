using Supervision.Tests.Workers;

namespace Supervision.Tests.Packaging;

/// <summary>The example of Supervision/README.md (the package's readme), run as written.</summary>
public class ReadmeExampleTests
{
    private const string Begin = "// README begin";
    private const string End = "// README end";

    [Test]
    public async Task The_example_restarts_the_crashed_worker_and_the_new_one_answers()
    {
        var (greeter, hello, reason, restarted, again) = await RunExampleAsync().WithinTimeout();

        hello.Should().Be("Hello, Ada!");
        reason.Kind.Should().Be(ExitKind.Failure);
        reason.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom");
        restarted.Id.Should().NotBe(greeter.Id);
        again.Should().Be("Hello, Grace!");
    }

    [Test]
    public void The_readme_shows_the_code_of_this_file()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllLines(Path.Combine(root, "Supervision", "README.md"));
        var example = readme
            .SkipWhile(line => line != "```csharp")
            .Skip(1)
            .TakeWhile(line => line != "```")
            .Where(line => !line.StartsWith("using ", StringComparison.Ordinal)); // here the namespace brings them in
        var tested = Regions(File.ReadAllLines(Path.Combine(root, "Supervision.Tests", "Packaging", "ReadmeExampleTests.cs")));

        Significant(example).Should().Equal(Significant(tested));
    }

    private static async Task<(Greeter Greeter, string Hello, ExitReason Reason, Greeter Restarted, string Again)> RunExampleAsync()
    {
        // README begin
        // A supervisor with one worker child, restarted whenever it exits (permanent, one-for-one).
        var supervisor = await Supervisor.StartAsync(
            new SupervisorOptions { Name = "app" },
            [ChildSpec.ForWorker("greeter", () => new Greeter())]);

        var greeter = (Greeter)(await supervisor.WhichChildrenAsync())[0].Process!;
        var hello = await greeter.CallAsync<string>(reply => new Greeter.Greet("Ada", reply)); // "Hello, Ada!"

        greeter.Tell(new Greeter.Crash());
        var reason = await greeter.Completion; // failure(InvalidOperationException: boom)

        // The supervisor was told of the exit before Completion finished: it answers after the restart.
        var restarted = (Greeter)(await supervisor.WhichChildrenAsync())[0].Process!;
        var again = await restarted.CallAsync<string>(reply => new Greeter.Greet("Grace", reply)); // "Hello, Grace!"
        Console.WriteLine($"{greeter.Id} exited with {reason}; {restarted.Id} says {again}");

        supervisor.Stop();
        await supervisor.Completion;
        // README end
        return (greeter, hello, reason, restarted, again);
    }

    /// <summary>The lines between each begin and end marker, markers excluded.</summary>
    private static IEnumerable<string> Regions(IEnumerable<string> lines)
    {
        var inside = false;
        foreach (var line in lines)
        {
            var marker = line.Trim();
            if (marker == End)
            {
                inside = false;
            }
            else if (inside)
            {
                yield return line;
            }
            else if (marker == Begin)
            {
                inside = true;
            }
        }
    }

    // Indentation and blank lines differ between a method body and a top-level program.
    private static List<string> Significant(IEnumerable<string> lines) =>
        lines.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SupervisedChat.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no SupervisedChat.sln above the test directory");
    }
}

// README begin
public sealed class Greeter : Worker<Greeter.Message>
{
    public abstract record Message;
    public sealed record Greet(string Name, Reply<string> Reply) : Message;
    public sealed record Crash : Message;

    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Greet greet: greet.Reply.Send($"Hello, {greet.Name}!"); break;
            case Crash: throw new InvalidOperationException("boom"); // crashes the worker
        }

        return ValueTask.CompletedTask;
    }
}
// README end
