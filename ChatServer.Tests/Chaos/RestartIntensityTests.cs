using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chaos;

/// <summary>
/// Restart intensity as a safety net: a service that crashes after every start (the test-only
/// <c>--fault-crash-loop NAME</c>) makes its supervisor give up and escalate, up to the root, and the
/// process ends with exit code 1 and a critical log line instead of restarting forever.
/// </summary>
public class RestartIntensityTests
{
    private static readonly TimeSpan s_giveUpWait = TimeSpan.FromSeconds(30);

    [TestCase(ServiceNames.Presence)]
    [TestCase(ServiceNames.RoomDirectory)]
    public async Task A_service_that_crashes_after_every_start_ends_the_process_with_exit_code_1_and_a_clear_log_line(string service)
    {
        // Started together: the same server without the crash loop is the control.
        await using var looping = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--enable-fault-injection", "--fault-crash-loop", service]);
        var (steady, port) = await ServerProcess.StartAsync("--enable-fault-injection");
        await using var _ = steady;

        var exitCode = await looping.WaitForExitAsync(s_giveUpWait);

        exitCode.Should().Be(1, $"the root gave up; {looping.Transcript()}");
        var output = string.Join('\n', looping.Stdout) + '\n' + looping.Stderr;
        output.Should().Contain("reached_max_restart_intensity", looping.Transcript());
        output.Should().Contain($"giving up after child {service} <", "the supervisor that gave up first names the crashing child");
        output.Should().MatchRegex(@"(?m)^.*crit.*chat: root supervisor exited: .*reached_max_restart_intensity.*$", "one critical line says the root gave up and why");

        steady.HasExited.Should().BeFalse($"without the crash loop the server keeps running; {steady.Transcript()}");
        await using var client = await ChatClient.ConnectAsync(port);
        client.Nick.Should().StartWith("guest");
        steady.HasExited.Should().BeFalse();
    }

    [Test]
    public async Task A_room_directory_crash_loop_makes_rooms_give_up_and_escalate_until_the_root_gives_up()
    {
        await using var server = await TestServer.StartAsync(o => o with { CrashLoop = ServiceNames.RoomDirectory }, captureLogs: true);
        var reason = await server.Host.Completion.WaitAsync(s_giveUpWait);

        reason.IsRestartIntensityExceeded.Should().BeTrue("the root gave up");
        var root = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        root.Supervisor.Should().Be("chat");
        root.ChildId.Should().Be("rooms", "rooms is the child that kept failing at the root");
        var rooms = root.LastReason.Exception.Should().BeOfType<RestartIntensityExceededException>("rooms itself gave up").Subject;
        rooms.Supervisor.Should().Be("rooms");
        rooms.ChildId.Should().Be(ServiceNames.RoomDirectory);
        rooms.LastReason.Exception.Should().BeOfType<InjectedFaultException>();

        var messages = server.Logs.Records.Select(e => e.Message).ToList();
        messages.Where(m => m.StartsWith($"rooms: reached_max_restart_intensity", StringComparison.Ordinal))
            .Should().HaveCount(4, "rooms gave up once per incarnation: the first and the root's three restarts; log:\n{0}", string.Join('\n', messages));
        messages.Where(m => m.StartsWith("chat: restarting child rooms", StringComparison.Ordinal))
            .Should().Equal(["chat: restarting child rooms (restart 1)", "chat: restarting child rooms (restart 2)", "chat: restarting child rooms (restart 3)"],
                "the root restarts the escalating rooms supervisor, with a growing restart count, until its own intensity is reached");
        messages.Should().Contain(m => m.StartsWith("chat: reached_max_restart_intensity", StringComparison.Ordinal) && m.Contains("child rooms", StringComparison.Ordinal));
        messages.Where(m => m.StartsWith("chat: restarting child", StringComparison.Ordinal))
            .Should().OnlyContain(m => m.StartsWith("chat: restarting child rooms", StringComparison.Ordinal), "one_for_one: no other service was restarted");
    }
}
