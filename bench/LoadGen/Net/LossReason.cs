namespace LoadGen.Net;

/// <summary>Why a connection ended or failed: loadgen.c's reasons, reported under the same names.</summary>
internal enum LossReason
{
    Connect,
    Reset,
    Eof,
    Timeout,
    Proto,
    Nick,
    Other,
    Refused,
}
