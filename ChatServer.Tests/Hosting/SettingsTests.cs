using System.Text;
using ChatServer.Hosting;
using ChatServer.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace ChatServer.Tests.Hosting;

/// <summary>appsettings.json, the CHAT_* variables and the flags, layered and bound as the program does.</summary>
public class SettingsTests
{
    [Test]
    public void The_shipped_appsettings_json_is_the_one_generated_from_the_defaults()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, DefaultSettingsFile.FileName);

        File.Exists(shipped).Should().BeTrue("appsettings.json is copied next to the binary");
        File.ReadAllText(shipped).ReplaceLineEndings("\n").Should().Be(
            DefaultSettingsFile.Render(),
            $"ChatServer/{DefaultSettingsFile.FileName} must be regenerated: dotnet run --project ChatServer -- {DefaultSettingsFile.PrintFlag} > ChatServer/{DefaultSettingsFile.FileName}");
    }

    [Test]
    public void The_generated_file_binds_to_the_defaults_and_names_every_documented_setting()
    {
        var errors = new List<string>();

        var options = ChatOptionsBinding.Bind(Configuration(DefaultSettingsFile.Render()), errors);

        errors.Should().BeEmpty();
        options.Should().Be(ChatServerOptions.Defaults, "null for a machine-dependent default reads back as that default");
        var text = DefaultSettingsFile.Render();
        foreach (var setting in ChatSettings.All.Where(setting => !setting.Option.Hidden))
        {
            text.Should().Contain($"\"{setting.Property}\":");
        }

        text.Should().NotContain("EnableFaultInjection", "test-only switches are not advertised");
    }

    [Test]
    public void Every_setting_names_a_property_of_the_options_and_flags_and_variables_are_unique()
    {
        foreach (var setting in ChatSettings.All)
        {
            typeof(ChatServerOptions).GetProperty(setting.Property).Should().NotBeNull(setting.Flag);
            typeof(ChatServerOptions).GetProperty(setting.Property)!.CanWrite.Should().BeTrue(setting.Flag);
        }

        ChatSettings.All.Select(setting => setting.Flag).Should().OnlyHaveUniqueItems();
        ChatSettings.All.Select(setting => setting.Variable).Should().OnlyHaveUniqueItems();
        ChatSettings.All.Should().OnlyContain(setting => setting.Variable.StartsWith("CHAT_", StringComparison.Ordinal));
    }

    [Test]
    public void The_command_line_beats_the_environment_which_beats_the_file()
    {
        var file = """{ "Chat": { "LobbyTopic": "file", "MaxClients": 7, "IdleTimeout": "00:01:00", "Port": 1 } }""";
        var environment = new Dictionary<string, string?> { ["CHAT_MAX_CLIENTS"] = "8", ["CHAT_PORT"] = "2" };

        var options = Bind(file, environment, "--port", "3", "--idle-timeout", "90", "--no-irc", "--bind", "127.0.0.1");

        options.LobbyTopic.Should().Be("file");
        options.MaxClients.Should().Be(8);
        options.Port.Should().Be(3);
        options.IdleTimeout.Should().Be(TimeSpan.FromSeconds(90), "--idle-timeout is in seconds");
        options.EnableIrc.Should().BeFalse();
        options.BindAddress.Should().Be("127.0.0.1");
        options.FloodBurst.Should().Be(ChatServerOptions.Defaults.FloodBurst, "what nobody sets keeps its default");
    }

    [Test]
    public void Seconds_rates_and_levels_from_the_environment_mean_what_the_flags_mean()
    {
        var environment = new Dictionary<string, string?>
        {
            ["CHAT_NODE_LEASE"] = "2.5",
            ["CHAT_FLOOD_RATE"] = "0.5",
            ["CHAT_LOG_LEVEL"] = "warning",
            ["CHAT_LOG_FORMAT"] = "json",
            ["CHAT_TELNET_BINARY"] = "false",
            ["CHAT_IRC_PASSWORD"] = "",
        };

        var options = Bind("{}", environment);

        options.NodeLease.Should().Be(TimeSpan.FromSeconds(2.5));
        options.FloodRate.Should().Be(0.5);
        options.LogLevel.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
        options.LogFormat.Should().Be(LogFormat.Json);
        options.TelnetBinary.Should().BeFalse();
        options.IrcPassword.Should().BeNull("a blank variable is not set");
    }

    [Test]
    public void A_variable_that_does_not_parse_is_named_with_its_flag()
    {
        var errors = new List<string>();

        SettingSources.FromEnvironment(name => name == "CHAT_PORT" ? "abc" : null, errors);

        errors.Should().Equal("CHAT_PORT=abc is not a valid value for --port");
    }

    [Test]
    public void A_value_in_the_file_that_does_not_parse_is_named_with_its_key_flag_and_variable()
    {
        var errors = new List<string>();

        ChatOptionsBinding.Bind(Configuration("""{ "Chat": { "MaxClients": "many" } }"""), errors);

        errors.Should().ContainSingle().Which.Should().Contain("Chat:MaxClients=many").And.Contain("--max-clients").And.Contain("CHAT_MAX_CLIENTS");
    }

    [Test]
    public void A_value_out_of_range_fails_validation_with_the_flag_the_variable_and_the_key()
    {
        var result = new ChatOptionsValidation().Validate(null, ChatServerOptions.Defaults with { MaxClients = 0 });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Be("--max-clients must be at least 1 (got 0) [env CHAT_MAX_CLIENTS, Chat:MaxClients in appsettings.json]");
    }

    [TestCase("FloodBurst", "CHAT_FLOOD_BURST")]
    [TestCase("FloodRate", "CHAT_FLOOD_RATE")]
    [TestCase("FloodKick", "CHAT_FLOOD_KICK")]
    [TestCase("IrcRegistrationTimeout", "CHAT_IRC_REGISTRATION_TIMEOUT")]
    [TestCase("IrcPingInterval", "CHAT_IRC_PING_INTERVAL")]
    [TestCase("FollowerDelay", "CHAT_FAULT_FOLLOWER_DELAY")]
    public void An_invalid_value_is_named_with_its_own_variable_and_key_not_a_neighbours(string property, string variable)
    {
        var options = property switch
        {
            "FloodBurst" => ChatServerOptions.Defaults with { FloodBurst = 0 },
            "FloodRate" => ChatServerOptions.Defaults with { FloodRate = -1 },
            "FloodKick" => ChatServerOptions.Defaults with { FloodKick = 0 },
            "IrcRegistrationTimeout" => ChatServerOptions.Defaults with { IrcRegistrationTimeout = TimeSpan.Zero },
            "FollowerDelay" => ChatServerOptions.Defaults with { FollowerDelay = TimeSpan.FromSeconds(1) },
            _ => ChatServerOptions.Defaults with { IrcPingInterval = TimeSpan.Zero },
        };

        var result = new ChatOptionsValidation().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().EndWith($"[env {variable}, Chat:{property} in appsettings.json]");
    }

    private static ChatServerOptions Bind(string file, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var errors = new List<string>();
        var parsed = CommandLine.Create((_, _) => Task.FromResult(0)).Parse(args);
        parsed.Errors.Should().BeEmpty();
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(file)))
            .AddInMemoryCollection(SettingSources.FromEnvironment(name => environment.GetValueOrDefault(name), errors))
            .AddInMemoryCollection(SettingSources.FromCommandLine(parsed))
            .Build();
        var options = ChatOptionsBinding.Bind(configuration, errors);
        errors.Should().BeEmpty();
        return options;
    }

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
