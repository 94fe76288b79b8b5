namespace NetJournal.Protocol;

/// <summary>Fixed numbers of the NetJournal wire protocol, version 1 (see docs/protocol.md).</summary>
public static class ProtocolConstants
{
    /// <summary>0xFE can never start a UTF-8 text or a syslog message, so native datagrams are told apart by their first byte.</summary>
    public const byte Magic0 = 0xFE;
    public const byte Magic1 = (byte)'N';
    public const byte Magic2 = (byte)'J';
    public const byte Version = 1;

    /// <summary>Magic (3), version (1), message type (1), flags (1).</summary>
    public const int HeaderSize = 6;

    public const int MaxNoteBytes = 4096;
    public const int MaxNameBytes = 128;
    public const int MaxNotesPerAppend = 255;
    public const int MaxTokenBytes = 64;
    public const int MaxFilterBytes = 512;

    /// <summary>A question is stored as the note <c>@bot QUESTION</c>, so it leaves room for that prefix in a note.</summary>
    public const int MaxQuestionBytes = MaxNoteBytes - 5;

    /// <summary>Most seqs an AskReply cites.</summary>
    public const int MaxCitedSeqs = 32;

    /// <summary>Fits the IPv6 minimum MTU (1280) less IPv6 and UDP headers: no fragmentation on any path.</summary>
    public const int DefaultMaxReply = 1232;
    public const int MinMaxReply = 512;
    public const int MaxDatagram = 65507;

    /// <summary>Until a source proves its address, replies to it stay within this many times the bytes it sent.</summary>
    public const int AmplificationFactor = 3;

    public static bool HasMagic(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 3 && datagram[0] == Magic0 && datagram[1] == Magic1 && datagram[2] == Magic2;
}
