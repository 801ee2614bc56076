using System.CommandLine;

namespace ChatServer.Hosting.Settings;

/// <summary>
/// The <c>CHAT_*</c> environment variables and the command line as configuration values, layered
/// over appsettings.json in that order (the command line wins).
/// </summary>
internal static class SettingSources
{
    /// <summary>
    /// The configuration values of every <c>CHAT_*</c> variable that is set and not blank; a value
    /// that does not parse adds <c>CHAT_PORT=x is not a valid value for --port</c> to <paramref name="errors"/>.
    /// </summary>
    public static Dictionary<string, string?> FromEnvironment(Func<string, string?> variable, ICollection<string> errors)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in ChatSettings.All)
        {
            if (variable(setting.Variable) is not { } text || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                values[setting.Key] = setting.FromVariable(text);
            }
            catch (FormatException)
            {
                errors.Add($"{setting.Variable}={text} is not a valid value for {setting.Flag}");
            }
        }

        return values;
    }

    /// <summary>The configuration values of every flag the command line gives.</summary>
    public static Dictionary<string, string?> FromCommandLine(ParseResult result)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in ChatSettings.All)
        {
            if (setting.TryReadFlag(result, out var value))
            {
                values[setting.Key] = value;
            }
        }

        return values;
    }
}
