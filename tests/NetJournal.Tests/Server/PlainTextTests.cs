using System.Text;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class PlainTextTests
{
    private static string Note(byte[] datagram) => PlainText.Decode(PlainText.Trim(datagram));

    [Fact]
    public void A_utf8_bom_at_the_start_is_dropped_as_it_is_for_rfc5424()
    {
        byte[] datagram = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("你好\n")];
        Assert.Equal("你好"u8.ToArray(), PlainText.Trim(datagram).ToArray());
        Assert.Equal("你好", Note(datagram));
    }

    [Fact]
    public void Trailing_nul_and_line_breaks_are_trimmed() =>
        Assert.Equal("note"u8.ToArray(), PlainText.Trim("note\r\n\0"u8).ToArray());

    [Fact]
    public void Valid_utf8_around_one_bad_byte_is_kept()
    {
        byte[] datagram = [.. Encoding.UTF8.GetBytes("你好 caf"), 0xE9, (byte)'\n'];
        Assert.Equal("你好 caf\uFFFD", Note(datagram));
    }

    [Fact]
    public void A_gb18030_datagram_is_still_decoded_as_gb18030() =>
        Assert.Equal("你好", Note([0xC4, 0xE3, 0xBA, 0xC3]));
}
