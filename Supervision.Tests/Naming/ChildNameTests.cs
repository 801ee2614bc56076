using Supervision.Tests.Support;

namespace Supervision.Tests.Naming;

/// <summary>ChildSpec.RegisterAs, OTP's {local, Name} in a child's start: every incarnation is registered, and a taken name is {already_started, Pid}.</summary>
public class ChildNameTests
{
    [Test]
    public async Task Every_incarnation_of_a_named_child_is_registered_and_the_name_follows_restarts()
    {
        var names = new ProcessRegistry();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a") with { RegisterAs = new ProcessName(names, "alpha") }]);
        await using var guard = sup.Guard();
        names.WhereIs("alpha").Should().BeSameAs(children["a"]);

        var old = await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        await sup.WhichChildrenAsync();

        names.WhereIs("alpha").Should().BeSameAs(children["a"]).And.NotBeSameAs(old);
        sup.Stop();
        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        names.WhereIs("alpha").Should().BeNull("the name is released when the child exits");
    }

    // supervisor.erl handle_start_child: {error, {already_started, Pid}} is passed through unwrapped (already_started_outside_supervisor).
    [Test]
    public async Task Starting_a_child_whose_name_a_live_process_holds_fails_with_already_started_naming_the_holder()
    {
        var names = new ProcessRegistry();
        var children = new TestChildren(new EventLog());
        var holder = new TestChild("holder", new EventLog());
        await holder.StartAsync();
        names.Register("alpha", holder);
        var sup = await Supervisor.StartAsync(new SupervisorOptions(), []);
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a") with { RegisterAs = new ProcessName(names, "alpha") });

        var refused = (await start.Should().ThrowAsync<SupervisorException>()).Which;
        refused.Error.Should().Be(SupervisorError.AlreadyStarted);
        refused.Process.Should().BeSameAs(holder);
        (await children["a"].Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown, "the new incarnation was stopped");
        (await sup.WhichChildrenAsync()).Should().BeEmpty("the spec is not kept");
        names.WhereIs("alpha").Should().BeSameAs(holder);
        holder.Stop();
    }

    [Test]
    public async Task A_start_function_that_meets_a_taken_name_gives_already_started_too_in_a_dynamic_supervisor()
    {
        var names = new ProcessRegistry();
        var holder = new TestChild("holder", new EventLog());
        await holder.StartAsync();
        names.Register("alpha", holder);
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(new ChildSpec
        {
            Id = "self-registering",
            Start = async cancellationToken =>
            {
                var child = new TestChild("a", new EventLog());
                names.Register("alpha", child);
                await child.StartAsync(cancellationToken);
                return child;
            },
        });

        (await start.Should().ThrowAsync<SupervisorException>()).Which.Process.Should().BeSameAs(holder);
        holder.Stop();
    }

    // supervisor.erl init_children: {shutdown, {failed_to_start_child, Id, {already_started, Pid}}}.
    [Test]
    public async Task At_supervisor_start_a_taken_name_fails_the_start_with_already_started_as_the_cause()
    {
        var names = new ProcessRegistry();
        var holder = new TestChild("holder", new EventLog());
        await holder.StartAsync();
        names.Register("alpha", holder);
        var children = new TestChildren(new EventLog());

        var start = () => Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a") with { RegisterAs = new ProcessName(names, "alpha") }]);

        var failed = (await start.Should().ThrowAsync<ChildStartException>()).Which;
        failed.ChildId.Should().Be("a");
        failed.InnerException.Should().BeOfType<SupervisorException>().Which.Process.Should().BeSameAs(holder);
        holder.Stop();
    }

    [Test]
    public void A_registered_name_needs_a_registry_and_a_name()
    {
        var spec = new TestChildren(new EventLog()).Spec("a") with { RegisterAs = new ProcessName(new ProcessRegistry(), "") };
        spec.Invoking(s => s.Validate()).Should().Throw<ArgumentException>().WithMessage("invalid_name*");
    }
}
