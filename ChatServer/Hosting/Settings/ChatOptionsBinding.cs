using Microsoft.Extensions.Configuration;

namespace ChatServer.Hosting.Settings;

/// <summary>Reads <see cref="ChatServerOptions"/> from the <c>Chat</c> section, with an error line per value that is not one.</summary>
internal static class ChatOptionsBinding
{
    /// <summary>
    /// Binds the section; a value of the wrong type adds a line naming the key, the flag and the
    /// variable to <paramref name="errors"/> (the binder alone would only say the type).
    /// </summary>
    public static ChatServerOptions Bind(IConfiguration configuration, ICollection<string> errors)
    {
        var section = configuration.GetSection(ChatSetting.Section);
        foreach (var setting in ChatSettings.All)
        {
            var property = typeof(ChatServerOptions).GetProperty(setting.Property)!;
            try
            {
                section.GetValue(property.PropertyType, setting.Property);
            }
            catch (InvalidOperationException)
            {
                errors.Add($"{setting.Key}={section[setting.Property]} (from appsettings.json or the environment) is not a valid value for {setting.Flag} {setting.OtherSources}");
            }
        }

        return errors.Count > 0 ? ChatServerOptions.Defaults : section.Get<ChatServerOptions>() ?? ChatServerOptions.Defaults;
    }
}
