using Microsoft.Extensions.Options;

namespace ChatServer.Hosting.Settings;

/// <summary>
/// <see cref="ChatServerOptions.Validate"/> as an options validator (run at start by
/// <c>ValidateOnStart</c>), its message completed with where the option is set: the flag's
/// variable and its key in appsettings.json.
/// </summary>
internal sealed class ChatOptionsValidation : IValidateOptions<ChatServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ChatServerOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail(WithSources(exception.Message));
        }
    }

    /// <summary>The message with <c>[env CHAT_X, Chat:X in appsettings.json]</c> when it starts with a flag.</summary>
    public static string WithSources(string message)
    {
        var flag = message.Split(' ', 2)[0];
        return ChatSettings.ByFlag(flag) is { } setting ? $"{message} {setting.OtherSources}" : message;
    }
}
