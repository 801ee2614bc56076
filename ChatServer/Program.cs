// Placeholder entry point: the supervised line-chat server replaces this (see issue 3).
Console.WriteLine("SupervisedChat server: not yet implemented (see issue 3)");
return 0;

/// <summary>
/// The chat server's entry point, made public so tests can reach the assembly.
/// </summary>
public partial class Program;
