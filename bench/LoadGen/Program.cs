using System.Globalization;
using LoadGen;
using LoadGen.Scenarios;

// Parse the loadgen.c command line, run one scenario, print one JSON line on stdout and a table on
// stderr. Exit 0 when the run completed, 1 when it ended otherwise (the JSON has an "error" field),
// 2 for bad options, 3 when the backstop had to stop a run that overran --timeout.
SocketEngine.Configure();
var parsed = LoadGen.CommandLine.Create(Run).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("try --help");
    return 2;
}

return parsed.Invoke();

static int Run(Options options)
{
    var limit = ProcStats.OpenFileLimit();
    if (limit >= 0 && options.DescriptorsNeeded + 16 > limit)
    {
        Console.Error.WriteLine($"need {options.DescriptorsNeeded + 16} fds but RLIMIT_NOFILE is {limit} (ulimit -n)");
        return 2;
    }

    StartBackstop(options);
    var result = Scenario.Create(options).Run();
    Console.Out.WriteLine(result.Json);
    Console.Out.Flush();
    Console.Error.Write(result.Table);
    return result.ExitCode;
}

// Every phase checks --timeout itself; this is the last resort against a bug that would hang, as
// loadgen.c's alarm(): a JSON line with an error, then exit.
static void StartBackstop(Options options)
{
    var backstop = new Thread(() =>
    {
        Thread.Sleep(TimeSpan.FromSeconds(options.Timeout + 30));
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"scenario\":\"{options.ScenarioName}\",\"proto\":\"line\",\"host\":\"{options.Host}\",\"port\":{options.Port},\"label\":\"{options.Label}\",\"generator\":\"csharp\",\"end\":\"hard-timeout\",\"error\":\"hard-timeout: still running {options.Timeout + 30} s after the start; stopped\"}}");
        Console.Out.WriteLine(json);
        Console.Out.Flush();
        Environment.Exit(3);
    })
    { IsBackground = true, Name = "backstop" };
    backstop.Start();
}
