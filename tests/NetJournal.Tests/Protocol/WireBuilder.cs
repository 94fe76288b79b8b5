using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>Writes a body, field by field, behind a message header.</summary>
internal delegate void BodyWriter(ref WireWriter w);

/// <summary>Hand-built datagrams, for the malformed and limit cases the encoder cannot produce.</summary>
internal static class WireBuilder
{
    public static byte[] Build(MessageType type, BodyWriter body)
    {
        var buffer = new byte[ProtocolConstants.MaxDatagram];
        var w = new WireWriter(buffer);
        w.WriteHeader(type);
        body(ref w);
        return buffer[..w.Position];
    }

    /// <summary>A length-prefixed run of <paramref name="length"/> copies of <paramref name="fill"/>.</summary>
    public static void WriteRun(ref WireWriter w, int length, byte fill = (byte)'a')
    {
        var bytes = new byte[length];
        Array.Fill(bytes, fill);
        w.WriteBytes(bytes);
    }
}
