using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>The classroom protocol's notes: strict UTF-8, or GB18030 (a superset of GB2312) where that fails, trailing CR/LF trimmed.</summary>
public static class PlainText
{
    private static readonly Encoding Gb18030 = CreateGb18030();

    private static Encoding CreateGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    public static string Decode(ReadOnlySpan<byte> datagram)
    {
        var body = Trim(datagram);
        return Utf8Text.TryDecode(body, out var text) ? text : Gb18030.GetString(body);
    }

    /// <summary>The note's bytes: the datagram without its trailing CR/LF.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> datagram)
    {
        var end = datagram.Length;
        while (end > 0 && datagram[end - 1] is (byte)'\r' or (byte)'\n') end--;
        return datagram[..end];
    }
}
