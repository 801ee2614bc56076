using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>The test support for cluster mode: a real redis-server per test.</summary>
public class RedisServerTests
{
    [Test]
    public async Task Starts_on_a_loopback_port_with_its_own_data_directory_and_answers_commands()
    {
        await using var redis = await RedisServer.StartAsync();

        redis.Port.Should().BeInRange(1, 65535);
        redis.ConfigurationString.Should().Be($"127.0.0.1:{redis.Port}");
        redis.IsRunning.Should().BeTrue();
        ProcessExists(redis.Pid).Should().BeTrue();
        Directory.Exists(redis.DataDirectory).Should().BeTrue();
        (await redis.CommandAsync("CONFIG", "GET", "dir")).Should().Be($"dir\n{redis.DataDirectory}");
        (await redis.CommandAsync("CONFIG", "GET", "port")).Should().Be($"port\n{redis.Port}");
        (await redis.CommandAsync("CONFIG", "GET", "appendonly")).Should().Be("appendonly\nyes");

        (await redis.CommandAsync("PING")).Should().Be("PONG");
        (await redis.CommandAsync("DBSIZE")).Should().Be("0", "a fresh data directory holds nothing");
        (await redis.CommandAsync("KEYS", "*")).Should().BeEmpty();
        (await redis.CommandAsync("SET", "greeting", "hello, wörld")).Should().Be("OK");
        (await redis.CommandAsync("GET", "greeting")).Should().Be("hello, wörld");
        (await redis.CommandAsync("GET", "missing")).Should().Be("(nil)");
        (await redis.CommandAsync("XADD", "room:lobby", "*", "nick", "alice")).Should().MatchRegex(@"^\d+-\d+$");
        (await redis.CommandAsync("XLEN", "room:lobby")).Should().Be("1");
        (await redis.CommandAsync("KEYS", "*")).Split('\n').Should().BeEquivalentTo("greeting", "room:lobby");
        (await redis.CommandAsync("DBSIZE")).Should().Be("2");
        (await redis.CommandAsync("NO-SUCH-COMMAND")).Should().StartWith("(error) ERR unknown command");
    }

    [Test]
    public async Task RestartAsync_keeps_the_port_and_what_was_written_before()
    {
        await using var redis = await RedisServer.StartAsync();
        (await redis.CommandAsync("SET", "kept", "across restarts")).Should().Be("OK");
        await redis.CommandAsync("XADD", "room:lobby", "*", "text", "one");
        await redis.CommandAsync("XADD", "room:lobby", "*", "text", "two");
        var port = redis.Port;
        var firstPid = redis.Pid;

        await redis.RestartAsync();

        redis.Port.Should().Be(port);
        redis.Pid.Should().NotBe(firstPid, "a restart is a new process");
        ProcessExists(firstPid).Should().BeFalse();
        (await redis.CommandAsync("GET", "kept")).Should().Be("across restarts", redis.Transcript());
        (await redis.CommandAsync("XLEN", "room:lobby")).Should().Be("2");
        (await redis.CommandAsync("DBSIZE")).Should().Be("2");
    }

    [Test]
    public async Task StopAsync_ends_the_process_and_RestartAsync_brings_the_data_back()
    {
        await using var redis = await RedisServer.StartAsync();
        (await redis.CommandAsync("SET", "kept", "while stopped")).Should().Be("OK");
        var pid = redis.Pid;

        await redis.StopAsync();

        redis.IsRunning.Should().BeFalse();
        ProcessExists(pid).Should().BeFalse();
        redis.Transcript().Should().Contain("Received SIGTERM", "SIGTERM was enough: a graceful stop");
        await FluentActions.Awaiting(() => redis.CommandAsync("PING")).Should().ThrowAsync<SocketException>("nothing listens any more");
        Directory.Exists(Path.Combine(redis.DataDirectory, "appendonlydir")).Should().BeTrue("the data is kept");

        await redis.RestartAsync();

        redis.IsRunning.Should().BeTrue();
        (await redis.CommandAsync("GET", "kept")).Should().Be("while stopped", redis.Transcript());
    }

    [Test]
    public async Task RestartAsync_fails_clearly_while_another_process_holds_the_port_and_works_once_it_is_free()
    {
        await using var redis = await RedisServer.StartAsync();
        (await redis.CommandAsync("SET", "kept", "through a failed restart")).Should().Be("OK");
        await redis.StopAsync();
        var squatter = new TcpListener(IPAddress.Loopback, redis.Port);
        squatter.Start();
        try
        {
            (await FluentActions.Awaiting(redis.RestartAsync).Should().ThrowAsync<AssertionException>())
                .Which.Message.Should().Contain("port was taken").And.Contain("Address already in use");
            redis.IsRunning.Should().BeFalse();
        }
        finally
        {
            squatter.Stop();
        }

        await redis.RestartAsync();

        (await redis.CommandAsync("GET", "kept")).Should().Be("through a failed restart");
    }

    [Test]
    public async Task Pause_makes_a_PING_time_out_and_Resume_makes_it_answer_again()
    {
        await using var redis = await RedisServer.StartAsync();
        (await redis.CommandAsync("SET", "before", "the pause")).Should().Be("OK");

        redis.Pause();

        await FluentActions.Awaiting(() => redis.CommandAsync(TimeSpan.FromMilliseconds(500), "PING"))
            .Should().ThrowAsync<TimeoutException>("a stopped process answers nothing");
        redis.IsRunning.Should().BeTrue("paused is not exited");

        redis.Resume();

        (await redis.CommandAsync("PING")).Should().Be("PONG");
        (await redis.CommandAsync("GET", "before")).Should().Be("the pause");
    }

    [Test]
    public async Task Two_instances_get_different_ports_and_separate_data()
    {
        await using var first = await RedisServer.StartAsync();
        await using var second = await RedisServer.StartAsync();

        second.Port.Should().NotBe(first.Port);
        second.Pid.Should().NotBe(first.Pid);
        second.DataDirectory.Should().NotBe(first.DataDirectory);
        (await first.CommandAsync("SET", "only", "in the first")).Should().Be("OK");
        (await first.CommandAsync("DBSIZE")).Should().Be("1");
        (await second.CommandAsync("DBSIZE")).Should().Be("0");
    }

    [Test]
    public async Task DisposeAsync_kills_the_process_and_deletes_the_data_directory()
    {
        var redis = await RedisServer.StartAsync();
        var pid = redis.Pid;
        var directory = redis.DataDirectory;
        (await redis.CommandAsync("SET", "some", "data")).Should().Be("OK");

        await redis.DisposeAsync();

        ProcessExists(pid).Should().BeFalse("dispose kills redis-server and waits for it");
        Directory.Exists(directory).Should().BeFalse();
        await redis.DisposeAsync(); // a second dispose does nothing
    }

    [Test]
    public async Task DisposeAsync_kills_a_paused_server()
    {
        var redis = await RedisServer.StartAsync();
        var pid = redis.Pid;
        redis.Pause();

        await redis.DisposeAsync();

        ProcessExists(pid).Should().BeFalse("SIGKILL ends a stopped process too");
    }

    [Test]
    public async Task StartAsync_without_redis_server_installed_says_how_to_install_it()
    {
        var start = () => RedisServer.StartAsync("redis-server-not-installed");

        (await start.Should().ThrowAsync<AssertionException>())
            .Which.Message.Should().Contain("apt-get install -y redis-server");
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
}
