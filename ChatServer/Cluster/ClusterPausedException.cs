namespace ChatServer.Cluster;

/// <summary>What was asked needs the other servers, and the cluster's Redis cannot be reached now; the message says what to do.</summary>
public sealed class ClusterPausedException(string message) : Exception(message);
