using System.CommandLine;
using ChatServer.Hosting;

// The console entry point: parse the command line (--help included), then run the server on the
// Generic Host (ChatServerApp), which handles Ctrl+C and SIGTERM with a graceful stop.
var parsed = CommandLine.Create(ChatServerApp.RunAsync).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("try --help");
    return 2;
}

// The host owns SIGINT/SIGTERM; System.CommandLine's own handler stays off.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

/// <summary>The chat server's entry point, public so that tests can reach the assembly.</summary>
public partial class Program;
