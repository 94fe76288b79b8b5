using NetJournal.Web;

namespace NetJournal.Tests.Web;

public sealed class WebTimeTests
{
    [Theory]
    [InlineData("2026-11-25T14:30:05Z", false, "2026-11-25T14:30:05.000Z")]
    [InlineData("2026-11-25T14:30:05.250Z", false, "2026-11-25T14:30:05.250Z")]
    [InlineData("2026-11-25T22:30:05+08:00", false, "2026-11-25T14:30:05.000Z")]
    [InlineData("2026-11-25T14:30:05", false, "2026-11-25T14:30:05.000Z")]
    [InlineData("2026-11-25T14:30", false, "2026-11-25T14:30:00.000Z")]
    [InlineData("2026-11-25", false, "2026-11-25T00:00:00.000Z")]
    [InlineData("2026-11-25", true, "2026-11-26T00:00:00.000Z")]
    [InlineData("@1764472000", false, "2025-11-30T03:06:40.000Z")]
    public void Takes_iso_8601_a_date_or_unix_seconds(string text, bool endOfDay, string expected)
    {
        Assert.True(WebTime.TryParse(text, endOfDay, out var ms));
        Assert.Equal(expected, NetJournal.Protocol.NoteJson.FormatTime(ms));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-02-29")]
    [InlineData("2026-11-25 14:30")]
    [InlineData("@")]
    [InlineData("@99999999999999")]
    [InlineData("")]
    public void Refuses_anything_else(string text) => Assert.False(WebTime.TryParse(text, false, out _));
}
