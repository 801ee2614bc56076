using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.Fuzz;

/// <summary>
/// A deliberately simple, whole-input model of the telnet filter's rules (RFC 854 commands, RFC 855
/// options, telnet line ends; IAC IAC, an escaped 0xFF that is never UTF-8 text, is dropped), written independently of the streaming state machine: the fuzz tests
/// check that the filter, fed in any chunks, gives what this model gives for the whole input.
/// An unfinished sequence at the end of the input yields nothing.
/// </summary>
internal static class TelnetReference
{
    public static (byte[] Data, byte[] Replies) Filter(byte[] input)
    {
        var data = new List<byte>();
        var replies = new List<byte>();
        var i = 0;
        while (i < input.Length)
        {
            var b = input[i];
            if (b == '\r')
            {
                if (i + 1 >= input.Length)
                {
                    break;
                }

                var next = input[i + 1];
                if (next is 0 or (byte)'\n')
                {
                    data.Add((byte)'\n');
                    i += 2;
                }
                else
                {
                    data.Add((byte)'\r');
                    i++;
                }

                continue;
            }

            if (b != Iac)
            {
                data.Add(b);
                i++;
                continue;
            }

            if (i + 1 >= input.Length)
            {
                break;
            }

            var command = input[i + 1];
            if (command is >= 0xFB and <= 0xFE)
            {
                if (i + 2 >= input.Length)
                {
                    break;
                }

                var option = input[i + 2];
                if (command == 0xFD)
                {
                    replies.AddRange([Iac, 0xFC, option]);
                }
                else if (command == 0xFB)
                {
                    replies.AddRange([Iac, 0xFE, option]);
                }

                i += 3;
            }
            else if (command == Sb)
            {
                // Skip to IAC SE; inside, IAC and the byte after it are a pair (IAC IAC is an escaped 0xFF).
                var j = i + 2;
                var ended = false;
                while (j < input.Length)
                {
                    if (input[j] != Iac)
                    {
                        j++;
                        continue;
                    }

                    if (j + 1 >= input.Length)
                    {
                        j++;
                        break;
                    }

                    if (input[j + 1] == Se)
                    {
                        ended = true;
                        j += 2;
                        break;
                    }

                    j += 2;
                }

                if (!ended)
                {
                    break;
                }

                i = j;
            }
            else
            {
                // IAC IAC, and the two-byte commands (NOP, IP, AYT, BRK, ...): consumed.
                i += 2;
            }
        }

        return ([.. data], [.. replies]);
    }
}
