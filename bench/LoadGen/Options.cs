using System.Net;

namespace LoadGen;

/// <summary>Which load a run applies.</summary>
internal enum ScenarioKind
{
    Conns,
    Fanout,
    Churn,
}

/// <summary>How connections are spread over the ports of <see cref="Options.EndPoints"/> (the nodes of a cluster).</summary>
internal enum Spread
{
    /// <summary>Member (connection, churn cycle) i goes to port i mod the number of ports.</summary>
    RoundRobin,

    /// <summary>Fan-out: the senders go to the first port, every other member round-robin to the rest.</summary>
    Senders,
}

/// <summary>
/// Everything a run is configured with. Names and defaults follow loadgen.c, so that one argument
/// string drives both generators; <see cref="SlowReaders"/>, <see cref="Senders"/> and several
/// <see cref="EndPoints"/> are new here.
/// </summary>
internal sealed record Options
{
    public required ScenarioKind Scenario { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 4040;
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 4040);

    /// <summary>Every port to connect to (--ports), the first being <see cref="EndPoint"/>; one unless --ports gives several.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; init; } = [new(IPAddress.Loopback, 4040)];

    public Spread Spread { get; init; } = Spread.RoundRobin;
    public string Label { get; init; } = "";
    public string Room { get; init; } = "#bench";
    public double Timeout { get; init; } = 120;
    public double ConnTimeout { get; init; } = 30;
    public int ServerPid { get; init; }
    public bool Crlf { get; init; }
    public bool QuickAck { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Connections between connect and registered at once (conns, fan-out setup); churn's parallelism.</summary>
    public int Par { get; init; } = 50;

    // conns
    public int Conns { get; init; } = 1000;
    public double Hold { get; init; } = 3;
    public int RoomSize { get; init; } = 10;

    // fanout
    public int Clients { get; init; } = 50;
    public int Msgs { get; init; } = 200;
    public int Window { get; init; } = 16;
    public double Rate { get; init; }
    public int Pad { get; init; }
    public double Idle { get; init; } = 5;
    public double Settle { get; init; } = 0.3;
    public double SlowReaders { get; init; }

    /// <summary>Fan-out: members that send (0 = every reading member sends and counts). With N &gt; 0 members 0..N-1 only send, the other reading members only receive.</summary>
    public int Senders { get; init; }

    // churn
    public int Iters { get; init; } = 2000;
    public bool Observer { get; init; } = true;

    public string ScenarioName => Scenario.ToString().ToLowerInvariant();

    /// <summary>The ports as given: <c>4040</c> or <c>4041,4042</c>.</summary>
    public string PortList => string.Join(",", EndPoints.Select(e => e.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public string SpreadName => Spread == Spread.Senders ? "senders" : "round-robin";

    /// <summary>Line ending sent to the server.</summary>
    public byte[] Eol => Crlf ? "\r\n"u8.ToArray() : "\n"u8.ToArray();

    /// <summary>Room members that never read after registering: a fraction of the clients, rounded.</summary>
    public int SlowReaderCount => (int)Math.Round(SlowReaders * Clients, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Where connection <paramref name="id"/> (a member, a churn cycle) connects. Round robin: port
    /// id mod the number of ports. <see cref="Spread.Senders"/> (fan-out): senders to the first port,
    /// every other member round-robin to the others (to the first too when there is only one).
    /// </summary>
    public IPEndPoint EndPointOf(int id)
    {
        var count = EndPoints.Count;
        if (count == 1)
        {
            return EndPoints[0];
        }

        if (Spread == Spread.Senders && Scenario == ScenarioKind.Fanout)
        {
            return id < Senders ? EndPoints[0] : EndPoints[1 + ((id - Senders) % (count - 1))];
        }

        return EndPoints[id % count];
    }

    /// <summary>File descriptors the run needs at once, as loadgen.c counts them.</summary>
    public int DescriptorsNeeded => Scenario switch
    {
        ScenarioKind.Conns => Conns,
        ScenarioKind.Fanout => Clients,
        _ => Par + 1,
    };

    /// <summary>The checks loadgen.c makes, with the same limits; null when the options are usable.</summary>
    public string? Validate()
    {
        if (Timeout is <= 0 or > 3600)
        {
            return "--timeout must be in (0, 3600]";
        }

        if (Pad is < 0 or > 400)
        {
            return "--pad must be 0..400";
        }

        if (Par < 1)
        {
            return "--par must be at least 1";
        }

        return Scenario switch
        {
            ScenarioKind.Fanout when Clients < 2 || Msgs < 1 => "fanout needs -c >= 2 and -m >= 1",
            ScenarioKind.Fanout when SlowReaders is < 0 or > 1 => "--slow-readers must be a fraction in 0..1",
            ScenarioKind.Fanout when Clients - SlowReaderCount < 2 => "fanout needs at least 2 reading clients besides the slow readers",
            ScenarioKind.Fanout when Senders < 0 || (Senders > 0 && Senders >= Clients - SlowReaderCount) => "--senders must leave at least one reading member that only receives",
            ScenarioKind.Fanout when Spread == Spread.Senders && Senders == 0 => "--spread senders needs --senders N",
            not ScenarioKind.Fanout when Spread == Spread.Senders => "--spread senders is for fanout only",
            not ScenarioKind.Fanout when Senders != 0 => "--senders is for fanout only",
            ScenarioKind.Conns when Conns < 1 => "conns needs -n >= 1",
            ScenarioKind.Churn when Iters < 1 => "churn needs -k >= 1",
            _ => null,
        };
    }
}
