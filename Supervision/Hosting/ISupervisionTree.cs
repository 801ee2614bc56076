namespace Supervision;

/// <summary>
/// A supervision tree run by the Generic Host (<see cref="SupervisionServiceCollectionExtensions.AddSupervisionTree"/>):
/// its root process and its state, for the application to resolve from the service provider. With
/// several trees registered, resolve <c>IEnumerable&lt;ISupervisionTree&gt;</c> (in registration order);
/// a single <see cref="ISupervisionTree"/> resolves to the last one registered.
/// </summary>
public interface ISupervisionTree
{
    /// <summary>The root process, once the host has started it.</summary>
    /// <exception cref="InvalidOperationException">The tree has not started (the host has not started it yet, or its start failed).</exception>
    IProcess Root { get; }

    /// <summary>True once the root has started and until it exits (after a host stop, a kill or on its own).</summary>
    bool IsRunning { get; }

    /// <summary>True once the host has asked the tree to stop, or once the root has exited on its own (which stops the application).</summary>
    bool IsStopping { get; }

    /// <summary>
    /// Completes, never faults, with the root's exit reason once it exits: <see cref="ExitReason.Shutdown"/>
    /// after a graceful host stop, <see cref="ExitReason.Killed"/> when the stop overran the host's
    /// shutdown timeout, or whatever reason the root exited with on its own. If the start failed it
    /// completes with <see cref="ExitReason.Failure(Exception)"/> of the start's exception; if the host
    /// stops without having started the tree, with <see cref="ExitReason.Shutdown"/>.
    /// </summary>
    Task<ExitReason> Completion { get; }
}
