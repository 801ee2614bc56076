using System.CommandLine;
using ChatServer.Hosting.Settings;

namespace ChatServer.Hosting;

/// <summary>
/// The command line: one flag per setting of <see cref="ChatSettings"/>, each also settable by its
/// <c>CHAT_*</c> environment variable and in appsettings.json; the command line wins.
/// </summary>
public static class CommandLine
{
    private static readonly Option<bool> s_printDefaultSettings = new(DefaultSettingsFile.PrintFlag)
    {
        Description = "print the appsettings.json that holds every default, and exit",
        Hidden = true,
    };

    /// <summary>The root command; <paramref name="run"/> gets the parse result of a run (not of <c>--help</c>).</summary>
    public static RootCommand Create(Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand("SupervisedChat: a supervised chat server for nc, telnet and IRC clients");
        foreach (var setting in ChatSettings.All)
        {
            command.Options.Add(setting.Option);
        }

        command.Options.Add(s_printDefaultSettings);
        command.SetAction((result, cancellationToken) =>
        {
            if (result.GetValue(s_printDefaultSettings))
            {
                Console.Out.Write(DefaultSettingsFile.Render());
                return Task.FromResult(0);
            }

            return run(result, cancellationToken);
        });
        return command;
    }
}
