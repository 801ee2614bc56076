using System.Diagnostics;
using System.Globalization;
using ChatServer.Tests.Processes;

namespace ChatServer.Tests.Support;

/// <summary>
/// A cluster for one test: its own <see cref="RedisServer"/> and N chat server processes (the built
/// server, <c>--port 0</c>) joined to it as nodes <c>n1</c>, <c>n2</c>, ... with a short lease, so
/// that a lost node is declared within seconds. Nodes can be killed (SIGKILL), stopped (SIGTERM) and
/// started again under the same name. Disposing kills every process it started.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>The lease the nodes run with: short, so node loss is seen quickly; long enough for a loaded machine's heartbeats.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    /// <summary>How long a test waits for what a lost node causes: the lease, its watching period and a loaded machine's slack.</summary>
    public static readonly TimeSpan LossWait = TimeSpan.FromSeconds(20);

    /// <summary>The hash of every node's heartbeat (docs/cluster.md, keys in Redis), in the default cluster.</summary>
    private const string HeartbeatsKey = "{chat}:nodes";

    private static readonly TimeSpan HeartbeatPoll = TimeSpan.FromMilliseconds(20);

    private readonly string[] _extraArguments;
    private readonly Func<int, string[]> _argumentsOf;
    private readonly (RunningProcess? Server, int Port, int IrcPort)[] _nodes;

    private TestCluster(RedisServer redis, int count, string[] extraArguments, Func<int, string[]>? argumentsOf = null)
    {
        Redis = redis;
        _extraArguments = extraArguments;
        _argumentsOf = argumentsOf ?? (_ => []);
        _nodes = new (RunningProcess?, int, int)[count];
    }

    /// <summary>The cluster's Redis.</summary>
    public RedisServer Redis { get; }

    /// <summary>Starts Redis and <paramref name="count"/> nodes with <paramref name="extraArguments"/>.</summary>
    public static Task<TestCluster> StartAsync(int count, params string[] extraArguments) => StartAsync(count, extraArguments, argumentsOf: null);

    /// <summary>Starts Redis and <paramref name="count"/> nodes, node <c>i</c> (0-based) with <paramref name="argumentsOf"/>(<c>i</c>), on every run.</summary>
    public static Task<TestCluster> StartAsync(int count, Func<int, string[]> argumentsOf) => StartAsync(count, [], argumentsOf);

    private static async Task<TestCluster> StartAsync(int count, string[] extraArguments, Func<int, string[]>? argumentsOf)
    {
        var redis = await RedisServer.StartAsync();
        var cluster = new TestCluster(redis, count, extraArguments, argumentsOf);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await cluster.StartNodeAsync(i);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The name of node <paramref name="index"/> (0-based): <c>n1</c>, <c>n2</c>, ...</summary>
    public static string NodeName(int index) => "n" + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The port node <paramref name="index"/> listens on (its latest run).</summary>
    public int Port(int index) => _nodes[index].Port;

    /// <summary>The IRC port of node <paramref name="index"/> (its latest run).</summary>
    public int IrcPort(int index) => _nodes[index].IrcPort;

    /// <summary>The process of node <paramref name="index"/>.</summary>
    public RunningProcess Node(int index) => _nodes[index].Server ?? throw new InvalidOperationException($"{NodeName(index)} is not running");

    /// <summary>Starts node <paramref name="index"/> (again, under the same name) and waits until it listens.</summary>
    public async Task StartNodeAsync(int index, params string[] moreArguments)
    {
        var (server, port) = await ServerProcess.StartAsync(
        [
            "--redis", Redis.ConfigurationString, "--node-name", NodeName(index),
            "--node-lease", Lease.TotalSeconds.ToString(CultureInfo.InvariantCulture), .. _extraArguments, .. _argumentsOf(index), .. moreArguments,
        ]);
        _nodes[index] = (server, port, await ServerProcess.ReadIrcPortAsync(server));
    }

    /// <summary>Kills node <paramref name="index"/> with SIGKILL (no goodbye of any kind) and waits until it is gone.</summary>
    public async Task KillNodeAsync(int index)
    {
        await Node(index).DisposeAsync();
        _nodes[index].Server = null;
    }

    /// <summary>Freezes node <paramref name="index"/> with SIGSTOP: its sockets stay open, it does nothing (a stalled machine, a long GC).</summary>
    public Task PauseNodeAsync(int index) => SignalAsync(index, "-STOP");

    /// <summary>Lets node <paramref name="index"/> run again (SIGCONT).</summary>
    public Task ResumeNodeAsync(int index) => SignalAsync(index, "-CONT");

    /// <summary>
    /// Waits until node <paramref name="index"/> writes a new heartbeat to Redis (it does every quarter lease) and
    /// returns a <see cref="Stopwatch"/> timestamp taken before the last read that still saw the old one: the new
    /// heartbeat, and any after it, were written after that moment. Fails after <see cref="LossWait"/>.
    /// </summary>
    public async Task<long> WaitForHeartbeatAsync(int index)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(LossWait.TotalSeconds * Stopwatch.Frequency);
        var before = Stopwatch.GetTimestamp();
        var first = await Redis.CommandAsync("HGET", HeartbeatsKey, NodeName(index));
        while (true)
        {
            // Polls a condition that changes every quarter lease: a short pause between reads spares the loaded machine.
            await Task.Delay(HeartbeatPoll);
            var readAt = Stopwatch.GetTimestamp();
            if (await Redis.CommandAsync("HGET", HeartbeatsKey, NodeName(index)) != first)
            {
                return before;
            }

            before = readAt;
            if (readAt > deadline)
            {
                throw new AssertionException($"{NodeName(index)} wrote no heartbeat within {LossWait.TotalSeconds} s (still {first}); {Transcript()}");
            }
        }
    }

    /// <summary>Connects a client to node <paramref name="index"/> and takes <paramref name="nick"/>.</summary>
    public async Task<ChatClient> ConnectAsync(int index, string nick)
    {
        var client = await ChatClient.ConnectAsync(Port(index));
        try
        {
            await client.SendAsync($"/nick {nick}");
            await client.ExpectAsync($"* you are now known as {nick}");
            client.Nick = nick;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects an IRC client to node <paramref name="index"/> and registers it as <paramref name="nick"/>.</summary>
    public async Task<IrcClient> ConnectIrcAsync(int index, string nick)
    {
        var client = await IrcClient.ConnectAsync(IrcPort(index));
        try
        {
            await client.RegisterAsync(nick);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task SignalAsync(int index, string signal)
    {
        await using var kill = RunningProcess.Start("kill", [signal, Node(index).Id.ToString(CultureInfo.InvariantCulture)]);
        (await kill.WaitForExitAsync()).Should().Be(0, $"kill {signal} {NodeName(index)}: {kill.Stderr}");
    }

    /// <summary>Every node's output, for failure messages.</summary>
    public string Transcript() =>
        string.Join(Environment.NewLine, _nodes.Select((node, i) => $"{NodeName(i)}: {node.Server?.Transcript() ?? "(not running)"}")) + Environment.NewLine + Redis.Transcript();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (server, _, _) in _nodes)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
    }
}
