using System.CommandLine;

namespace ChatServer.Hosting.Settings;

/// <summary>
/// One option of the server as its three sources name it: a property of <see cref="ChatServerOptions"/>
/// (the key in the <c>Chat</c> section of appsettings.json), a command-line flag and a <c>CHAT_*</c>
/// environment variable. The flag and the variable are turned into configuration values for the
/// property, so that one binder reads all three in the usual precedence.
/// </summary>
internal abstract class ChatSetting
{
    /// <summary>The configuration section every option lives in.</summary>
    public const string Section = "Chat";

    protected ChatSetting(string property, string variable)
    {
        Property = property;
        Variable = variable;
    }

    /// <summary>The property of <see cref="ChatServerOptions"/> the setting binds to.</summary>
    public string Property { get; }

    /// <summary>The environment variable, e.g. <c>CHAT_PORT</c>.</summary>
    public string Variable { get; }

    /// <summary>The configuration key, e.g. <c>Chat:Port</c>.</summary>
    public string Key => $"{Section}:{Property}";

    /// <summary>The command-line option.</summary>
    public abstract Option Option { get; }

    /// <summary>The flag, e.g. <c>--port</c>.</summary>
    public string Flag => Option.Name;

    /// <summary>The configuration value of the flag, or false when the command line does not give it.</summary>
    public abstract bool TryReadFlag(ParseResult result, out string? value);

    /// <summary>The configuration value of the variable's text.</summary>
    /// <exception cref="FormatException">The text is not a value of the option.</exception>
    public abstract string? FromVariable(string text);

    /// <summary>Where else it is set, for error lines that name the flag: <c>[env CHAT_PORT, Chat:Port in appsettings.json]</c>.</summary>
    public string OtherSources => $"[env {Variable}, {Key} in appsettings.json]";
}

/// <summary>A setting whose flag parses to <typeparamref name="T"/>.</summary>
/// <param name="property">The property of <see cref="ChatServerOptions"/>.</param>
/// <param name="option">The flag; its description gets the variable appended, its help default comes from <see cref="ChatServerOptions.Defaults"/>.</param>
/// <param name="variable">The environment variable.</param>
/// <param name="parse">Parses the variable's text as the flag would.</param>
/// <param name="toConfiguration">The configuration value of a parsed value (seconds become a TimeSpan's text, ...).</param>
/// <param name="helpDefault">The default shown by <c>--help</c>.</param>
internal sealed class ChatSetting<T>(string property, Option<T> option, string variable, Func<string, T> parse, Func<T, string?> toConfiguration, Func<ChatServerOptions, T> helpDefault)
    : ChatSetting(property, variable)
{
    private readonly Option<T> _option = Configure(option, variable, helpDefault);

    /// <inheritdoc />
    public override Option Option => _option;

    /// <inheritdoc />
    public override bool TryReadFlag(ParseResult result, out string? value)
    {
        if (result.GetResult(_option) is not { Implicit: false })
        {
            value = null;
            return false;
        }

        value = toConfiguration(result.GetValue(_option)!);
        return true;
    }

    /// <inheritdoc />
    public override string? FromVariable(string text)
    {
        try
        {
            return toConfiguration(parse(text));
        }
        catch (Exception exception) when (exception is OverflowException or ArgumentException)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    private static Option<T> Configure(Option<T> option, string variable, Func<ChatServerOptions, T> helpDefault)
    {
        option.Description = $"{option.Description} [env {variable}]";
        option.DefaultValueFactory = _ => helpDefault(ChatServerOptions.Defaults);
        return option;
    }
}
