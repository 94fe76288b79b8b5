using NetJournal.Protocol;
using NetJournal.Web;

namespace NetJournal.Tests.Web;

public sealed class WebViewOptionsTests
{
    [Theory]
    [InlineData("8080", "127.0.0.1:8080")]
    [InlineData("0", "127.0.0.1:0")]
    [InlineData("0.0.0.0:8080", "0.0.0.0:8080")]
    [InlineData("[::]:8080", "[::]:8080")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    [InlineData("*:8080", "[::]:8080")]
    public void Http_takes_a_port_alone_as_loopback_or_an_address_and_port(string text, string expected)
    {
        Assert.True(WebViewOptions.TryParseEndPoint(text, out var endPoint));
        Assert.Equal(expected, endPoint.ToString());
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("example.org:80")]
    [InlineData("::1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("")]
    public void Http_refuses_anything_else(string text) => Assert.False(WebViewOptions.TryParseEndPoint(text, out _));

    [Fact]
    public void Rights_to_read_one_client_narrow_every_filter_to_it()
    {
        var own = new WebRights("alice", "alice", true);
        Assert.Equal("alice", own.Restrict(HistoryFilter.None)!.Client);
        Assert.Equal(new HistoryFilter("alice", Grep: "x"), own.Restrict(new HistoryFilter(Grep: "x")));
        Assert.Null(own.Restrict(new HistoryFilter("bob")));
        Assert.Same(HistoryFilter.None, WebRights.Everything.Restrict(HistoryFilter.None));
    }
}
