namespace ChatServer.Tests.Processes;

public class TelnetTests
{
    [Test]
    public async Task A_telnet_process_and_an_nc_process_chat_both_ways()
    {
        var (server, port) = await ServerProcess.StartAsync();
        await using var _ = server;
        await using var nc = await LineTools.ConnectNetcatAsync(port);
        await using var telnet = await LineTools.ConnectTelnetAsync(port);
        await LineTools.NickAsync(nc, "netty");
        await LineTools.NickAsync(telnet, "tina");

        await telnet.SendLineAsync("hello from telnet");

        await nc.ExpectLineAsync("[#lobby] <tina> hello from telnet");
        await nc.SendLineAsync("hello back from nc");
        await telnet.ExpectLineAsync("[#lobby] <netty> hello back from nc");
        await telnet.SendLineAsync("/me waves");
        await nc.ExpectLineAsync("[#lobby] * tina waves");
    }
}
