using System.CommandLine;
using System.Globalization;
using System.Net;

namespace LoadGen;

/// <summary>
/// The command line of loadgen.c (line protocol only), so that the same argument string works for
/// both generators: <c>-s fanout -p line -P 4041 -c 50 -m 2000</c>.
/// </summary>
internal static class CommandLine
{
    private static readonly Option<string> s_scenario = new("--scenario", "-s") { Description = "conns | fanout | churn", Required = true };
    private static readonly Option<string> s_proto = new("--proto", "-p") { Description = "line (the only protocol; irc is loadgen.c only)", DefaultValueFactory = _ => "line" };
    private static readonly Option<string> s_host = new("--host", "-H") { Description = "loopback IP literal of the server", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> s_port = new("--port", "-P") { Description = "server port", DefaultValueFactory = _ => 4040 };
    private static readonly Option<string?> s_ports = new("--ports") { Description = "several servers (the nodes of a cluster): P1,P2,...; connections spread over them (--spread); instead of --port" };
    private static readonly Option<string> s_spread = new("--spread") { Description = "with --ports: round-robin (member or cycle i to port i mod n) or senders (fanout: the --senders on the first port, the other members round-robin on the rest)", DefaultValueFactory = _ => "round-robin" };
    private static readonly Option<int> s_pid = new("--pid") { Description = "server pid: RSS (conns) and CPU sampling" };
    private static readonly Option<double> s_timeout = new("--timeout") { Description = "overall bound in seconds", DefaultValueFactory = _ => 120 };
    private static readonly Option<string> s_label = new("--label") { Description = "free text copied to the JSON line", DefaultValueFactory = _ => "" };
    private static readonly Option<string> s_room = new("--room") { Description = "room to join", DefaultValueFactory = _ => "#bench" };
    private static readonly Option<double> s_connTimeout = new("--conn-timeout") { Description = "seconds a connection may take to connect and register", DefaultValueFactory = _ => 30 };
    private static readonly Option<int?> s_par = new("--par") { Description = "connections registering at once (conns, fanout: 50); churn parallelism (20)" };
    private static readonly Option<bool> s_crlf = new("--crlf") { Description = "end lines with CRLF instead of LF" };
    private static readonly Option<bool> s_quickAck = new("--quickack") { Description = "re-arm TCP_QUICKACK after every read" };
    private static readonly Option<bool> s_verbose = new("--verbose", "-v") { Description = "log every lost connection to stderr" };
    private static readonly Option<int> s_conns = new("--conns", "-n") { Description = "conns: connections", DefaultValueFactory = _ => 1000 };
    private static readonly Option<double> s_hold = new("--hold") { Description = "conns: seconds to hold them idle", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> s_roomSize = new("--room-size") { Description = "conns: members per room (0 = one room)", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> s_clients = new("--clients", "-c") { Description = "fanout: room members", DefaultValueFactory = _ => 50 };
    private static readonly Option<int> s_msgs = new("--msgs", "-m") { Description = "fanout: messages per sender", DefaultValueFactory = _ => 200 };
    private static readonly Option<int?> s_window = new("--window") { Description = "fanout: messages in flight per sender (16; 0 = unlimited; 0 by default with --rate)" };
    private static readonly Option<double> s_rate = new("--rate") { Description = "fanout: total messages per second, open loop (0 = closed loop)" };
    private static readonly Option<int> s_pad = new("--pad") { Description = "fanout: extra payload bytes (0..400)" };
    private static readonly Option<double> s_idle = new("--idle") { Description = "fanout: stop after this many seconds without progress", DefaultValueFactory = _ => 5 };
    private static readonly Option<double> s_settle = new("--settle") { Description = "fanout: pause between setup and run, seconds", DefaultValueFactory = _ => 0.3 };
    private static readonly Option<double> s_slowReaders = new("--slow-readers") { Description = "fanout: fraction (0..1) of the members that register, then never read" };
    private static readonly Option<int> s_senders = new("--senders") { Description = "fanout: only the first N members send, and they count nothing; the other reading members only receive (0 = every member sends and receives)" };
    private static readonly Option<int> s_burst = new("--burst") { Description = "accepted for loadgen.c compatibility; connections start as soon as a --par slot frees" };
    private static readonly Option<int> s_iters = new("--iters", "-k") { Description = "churn: connect-message-quit cycles", DefaultValueFactory = _ => 2000 };
    private static readonly Option<bool> s_noObserver = new("--no-observer") { Description = "churn: no observer counting the messages" };

    /// <summary>The root command; <paramref name="run"/> gets the parsed options.</summary>
    public static RootCommand Create(Func<Options, int> run)
    {
        var command = new RootCommand("LoadGen: load generator for the SupervisedChat line protocol (loopback only; every run bounded by --timeout)")
        {
            s_scenario, s_proto, s_host, s_port, s_ports, s_spread, s_pid, s_timeout, s_label, s_room, s_connTimeout, s_par, s_crlf, s_quickAck,
            s_verbose, s_conns, s_hold, s_roomSize, s_clients, s_msgs, s_window, s_rate, s_pad, s_idle, s_settle, s_slowReaders,
            s_senders, s_burst, s_iters, s_noObserver,
        };
        command.SetAction(result =>
        {
            var options = Build(result, out var error);
            if (options is null)
            {
                Console.Error.WriteLine($"error: {error}");
                return 2;
            }

            return run(options);
        });
        return command;
    }

    private static Options? Build(ParseResult result, out string? error)
    {
        var scenario = result.GetValue(s_scenario) switch
        {
            "conns" => ScenarioKind.Conns,
            "fanout" => ScenarioKind.Fanout,
            "churn" => ScenarioKind.Churn,
            _ => (ScenarioKind?)null,
        };
        if (scenario is null)
        {
            error = $"unknown scenario {result.GetValue(s_scenario)}: use conns, fanout or churn";
            return null;
        }

        if (result.GetValue(s_proto) != "line")
        {
            error = "only -p line is supported (the irc protocol is loadgen.c only)";
            return null;
        }

        var host = result.GetValue(s_host)!;
        var port = result.GetValue(s_port);
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (address is null)
        {
            error = "host must be a loopback IP literal (127.x.x.x or ::1)";
            return null;
        }

        // Same safety rule as loadgen.c: this tool only ever loads this machine.
        if (!IPAddress.IsLoopback(address))
        {
            error = $"refusing non-loopback target {host}";
            return null;
        }

        if (port is < 1 or > 65535)
        {
            error = "--port must be 1..65535";
            return null;
        }

        List<int> ports = [port];
        if (result.GetValue(s_ports) is { } portList)
        {
            if (result.GetResult(s_port) is { Implicit: false })
            {
                error = "give --port or --ports, not both";
                return null;
            }

            ports = [];
            foreach (var item in portList.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var each) || each is < 1 or > 65535)
                {
                    error = $"--ports must be a comma-separated list of ports 1..65535 (got {portList})";
                    return null;
                }

                ports.Add(each);
            }
        }

        var spread = result.GetValue(s_spread) switch
        {
            "round-robin" => Spread.RoundRobin,
            "senders" => Spread.Senders,
            _ => (Spread?)null,
        };
        if (spread is null)
        {
            error = $"unknown --spread {result.GetValue(s_spread)}: use round-robin or senders";
            return null;
        }

        var rate = result.GetValue(s_rate);
        var options = new Options
        {
            Scenario = scenario.Value,
            Host = host,
            Port = ports[0],
            EndPoint = new IPEndPoint(address, ports[0]),
            EndPoints = [.. ports.Select(p => new IPEndPoint(address, p))],
            Spread = spread.Value,
            ServerPid = result.GetValue(s_pid),
            Timeout = result.GetValue(s_timeout),
            Label = result.GetValue(s_label)!.Replace('"', '_').Replace('\\', '_'),
            Room = result.GetValue(s_room)!,
            ConnTimeout = result.GetValue(s_connTimeout),
            Par = result.GetValue(s_par) ?? (scenario == ScenarioKind.Churn ? 20 : 50),
            Crlf = result.GetValue(s_crlf),
            QuickAck = result.GetValue(s_quickAck),
            Verbose = result.GetValue(s_verbose),
            Conns = result.GetValue(s_conns),
            Hold = result.GetValue(s_hold),
            RoomSize = result.GetValue(s_roomSize),
            Clients = result.GetValue(s_clients),
            Msgs = result.GetValue(s_msgs),
            // As in loadgen.c: a fixed rate is open loop unless a window is asked for.
            Window = result.GetValue(s_window) ?? (rate > 0 ? 0 : 16),
            Rate = rate,
            Pad = result.GetValue(s_pad),
            Idle = result.GetValue(s_idle),
            Settle = result.GetValue(s_settle),
            SlowReaders = result.GetValue(s_slowReaders),
            Senders = result.GetValue(s_senders),
            Iters = result.GetValue(s_iters),
            Observer = !result.GetValue(s_noObserver),
        };
        error = options.Validate();
        return error is null ? options : null;
    }
}
