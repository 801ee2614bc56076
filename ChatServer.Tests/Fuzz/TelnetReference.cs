using System.Text;
using System.Text.RegularExpressions;
using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.Fuzz;

/// <summary>
/// A deliberately simple, whole-input model of the telnet filter's rules (RFC 854 commands, RFC 855
/// options, telnet line ends; IAC IAC, an escaped 0xFF that is never UTF-8 text, is dropped), written independently of the streaming state machine: the fuzz tests
/// check that the filter, fed in any chunks, gives what this model gives for the whole input.
/// An unfinished sequence at the end of the input yields nothing (but its IAC has already shown
/// that the peer speaks telnet). With the offer on: the first IAC, or a first line end that is CRLF
/// or CR NUL (unless that line starts like an HTTP request: a method and a space), brings
/// <c>IAC WILL BINARY IAC DO BINARY</c> once, and BINARY is then negotiated by
/// RFC 1143 (an answer is not answered). A key command telnet made of a UTF-8 continuation byte
/// (IP, BRK, ABORT, SUSP, AO, EOF) becomes that byte again when the data so far ends inside a sequence.
/// </summary>
internal static partial class TelnetReference
{
    // The byte each command stands for when telnet strips a typed byte to 7 bits: 0x80 + the key.
    private static readonly Dictionary<byte, byte> s_keyBytes = new()
    {
        [Ip] = 0x83,
        [Brk] = 0x9C,
        [Abort] = 0x9C,
        [Susp] = 0x9A,
        [Ao] = 0x8F,
        [Eof] = 0x84,
    };

    public static (byte[] Data, byte[] Replies) Filter(byte[] input, bool offerBinary)
    {
        var data = new List<byte>();
        var replies = new List<byte>();
        var binary = new BinaryModel(replies);
        var offered = false;
        var firstLineEndSeen = false;

        void ShownTelnet()
        {
            if (offerBinary && !offered)
            {
                offered = true;
                binary.Offer();
            }
        }

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
                    if (!firstLineEndSeen)
                    {
                        // Everything in data so far is the first line.
                        firstLineEndSeen = true;
                        if (!HttpRequestStart().IsMatch(Encoding.Latin1.GetString([.. data])))
                        {
                            ShownTelnet();
                        }
                    }

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
                firstLineEndSeen |= b == '\n';
                data.Add(b);
                i++;
                continue;
            }

            ShownTelnet();
            if (i + 1 >= input.Length)
            {
                break;
            }

            var command = input[i + 1];
            if (s_keyBytes.TryGetValue(command, out var keyByte) && EndsInsideUtf8Sequence(data))
            {
                data.Add(keyByte);
                i += 2;
            }
            else if (command is >= 0xFB and <= 0xFE)
            {
                if (i + 2 >= input.Length)
                {
                    break;
                }

                var option = input[i + 2];
                if (offerBinary && option == Binary)
                {
                    binary.Receive(command);
                }
                else if (command == 0xFD)
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

    [GeneratedRegex("^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE) ")]
    private static partial Regex HttpRequestStart();

    // Looks back from the end: the continuation bytes (10xxxxxx) at the end, and the byte before them.
    private static bool EndsInsideUtf8Sequence(List<byte> data)
    {
        var continuations = 0;
        var at = data.Count - 1;
        while (at >= 0 && continuations < 4 && (data[at] & 0xC0) == 0x80)
        {
            continuations++;
            at--;
        }

        if (at < 0 || continuations == 4)
        {
            return false;
        }

        var sequenceLength = data[at] switch
        {
            >= 0xC2 and <= 0xDF => 2,
            >= 0xE0 and <= 0xEF => 3,
            >= 0xF0 and <= 0xF4 => 4,
            _ => 1,
        };
        return continuations < sequenceLength - 1;
    }

    // RFC 1143 for BINARY, wanted on both sides: each side is off, asked (by us) or on.
    private sealed class BinaryModel(List<byte> replies)
    {
        private readonly Dictionary<bool, string> _sides = new() { [true] = "off", [false] = "off" };

        public void Offer()
        {
            _sides[true] = "asked";
            _sides[false] = "asked";
            replies.AddRange([Iac, Will, Binary, Iac, Do, Binary]);
        }

        public void Receive(byte verb)
        {
            // DO and DONT are about what the server sends; WILL and WONT about what the peer sends.
            var aboutServer = verb is Do or Dont;
            var wantsOn = verb is Do or Will;
            var was = _sides[aboutServer];
            if (wantsOn && was == "off")
            {
                replies.AddRange([Iac, aboutServer ? Will : Do, Binary]);
            }
            else if (!wantsOn && was == "on")
            {
                replies.AddRange([Iac, aboutServer ? Wont : Dont, Binary]);
            }

            _sides[aboutServer] = wantsOn ? "on" : "off";
        }
    }
}
