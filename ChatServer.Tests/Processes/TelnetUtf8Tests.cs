using ChatServer.Tests.BadInput;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Processes;

public class TelnetUtf8Tests
{
    // Each line holds UTF-8 bytes 0x80–0x9F that Linux telnet outside BINARY mode strips to 7 bits
    // and takes for a terminal key: у, ン, テ, ト (0x83, Ctrl+C → IAC IP), я (0x8F, Ctrl+O → IAC AO),
    // 本, ✓ (0x9C, Ctrl+\ → IAC BRK), 业 (0x9A, Ctrl+Z → IAC SUSP), the 0x85 of ą (Ctrl+E, dropped: only
    // BINARY mode, not the server's repair, gets it through).
    private static readonly string[] s_typed =
    [
        "тут русский язык",
        "日本語のテキスト ン",
        "中文业",
        "zażółć gęślą jaźń",
        "✓ done",
        "emoji 😀😃",
    ];

    // Threat: a telnet user typing Russian, Japanese, Chinese or Polish on a real terminal reaches others as т�т, р�сский, �;
    // and the fix must not break Ctrl+C, which telnet answers by going deaf until the server answers its timing mark.
    [Test]
    public async Task Text_typed_into_telnet_on_a_terminal_reaches_an_nc_user_exactly_and_ctrl_c_still_works()
    {
        var (server, port) = await ServerProcess.StartAsync();
        await using var _ = server;
        await using var nc = await LineTools.ConnectNetcatAsync(port);
        await using var telnet = await LineTools.ConnectTelnetOnTerminalAsync(port);
        await LineTools.NickAsync(nc, "netty");
        await LineTools.NickAsync(telnet, "tina");

        foreach (var text in s_typed)
        {
            await telnet.SendLineAsync(text);
            var line = await nc.ExpectLineAsync(l => l.StartsWith("[#lobby] <tina> ", StringComparison.Ordinal), "from tina");
            line.Should().Be($"[#lobby] <tina> {text}");
        }

        // The terminal turns 0x03 into SIGINT before it passes on the rest; telnet sends IAC IP IAC DO TIMING-MARK
        // and shows nothing until the answer, which comes before the pong.
        await telnet.SendAsync("\u0003/ping after ctrl-c\n");
        await telnet.ExpectLineAsync(l => l.EndsWith("* pong after ctrl-c", StringComparison.Ordinal), "\"* pong after ctrl-c\"");

        await telnet.SendLineAsync("still here ✓ тут");
        var after = await nc.ExpectLineAsync(l => l.StartsWith("[#lobby] <tina> ", StringComparison.Ordinal), "from tina after Ctrl+C");
        after.Should().Be("[#lobby] <tina> still here ✓ тут");
        await nc.SendLineAsync("и я тут ✓");
        await telnet.ExpectLineAsync("[#lobby] <netty> и я тут ✓");
        nc.Stdout.Should().NotContain(l => l.Contains("ping", StringComparison.Ordinal), "Ctrl+C and /ping relay nothing");
    }

    // Threat: with the offer off (or before telnet takes it) text typed into telnet arrives broken; the server's repair of
    // key commands inside UTF-8 sequences must match what the real telnet sends. ą is left out: telnet drops its 0x85.
    [Test]
    public async Task With_the_offer_off_text_typed_into_telnet_on_a_terminal_is_repaired()
    {
        var (server, port) = await ServerProcess.StartAsync("--telnet-binary", "false");
        await using var _ = server;
        await using var nc = await LineTools.ConnectNetcatAsync(port);
        await using var telnet = await LineTools.ConnectTelnetOnTerminalAsync(port);
        await LineTools.NickAsync(nc, "netty");
        await LineTools.NickAsync(telnet, "tina");

        foreach (var text in s_typed.Where(t => !t.Contains('ą', StringComparison.Ordinal)))
        {
            await telnet.SendLineAsync(text);
            var line = await nc.ExpectLineAsync(l => l.StartsWith("[#lobby] <tina> ", StringComparison.Ordinal), "from tina");
            line.Should().Be($"[#lobby] <tina> {text}");
        }
    }

    // Threat: the switch that turns the offer off not reaching the server from the command line or from its variable.
    [TestCase("default", true)]
    [TestCase("--telnet-binary false", false)]
    [TestCase("CHAT_TELNET_BINARY=false", false)]
    public async Task The_offer_is_on_by_default_and_the_option_or_its_variable_turns_it_off(string setting, bool offered)
    {
        string[] arguments = setting.StartsWith("--", StringComparison.Ordinal) ? setting.Split(' ') : [];
        var environment = new Dictionary<string, string?>();
        if (setting.StartsWith("CHAT_", StringComparison.Ordinal))
        {
            environment[setting.Split('=')[0]] = setting.Split('=')[1];
        }

        await using var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", .. arguments], environment);
        var port = await ServerProcess.ReadPortAsync(server);
        await using var client = await ChatClient.ConnectAsync(port);
        var before = client.Raw.Received.Length;

        await client.SendRawAsync("/ping crlf\r\n"u8.ToArray());
        await client.ExpectAsync(l => l.EndsWith("* pong crlf", StringComparison.Ordinal));

        byte[] offer = [0xFF, 0xFB, 0x00, 0xFF, 0xFD, 0x00];
        client.Raw.Received[before..].Should().Equal([.. offered ? offer : [], .. "* pong crlf\r\n"u8]);
    }
}
