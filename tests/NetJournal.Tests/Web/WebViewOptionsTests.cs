using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;
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
        var own = new WebRights("alice", ReadScope.Own("alice"), true);
        Assert.Equal("alice", own.Restrict(HistoryFilter.None)!.Client);
        Assert.Equal(new HistoryFilter("alice", Grep: "x"), own.Restrict(new HistoryFilter(Grep: "x")));
        Assert.Null(own.Restrict(new HistoryFilter("bob")));
        Assert.True(own.Admits("alice"));
        Assert.False(own.Admits("bob"));
        Assert.Same(HistoryFilter.None, WebRights.Everything.Restrict(HistoryFilter.None));
    }

    [Theory]
    [InlineData("write,read-all", true, true, null)]
    [InlineData("read-all,read-own", true, false, "alice")]
    [InlineData("write", false, true, null)]
    [InlineData("none,write,read-all", false, false, null)]
    public void A_keyed_clients_rights_are_its_lines_with_the_narrower_winning(string line, bool mayRead, bool mayWrite, string? only)
    {
        var rights = WebRights.Of(new KeyedClient("alice", ClientKey.Generate(), ClientsFile.ParseRights(line)!.Value, 1));
        Assert.Equal("alice", rights.Name);
        Assert.Equal(mayRead, rights.MayRead);
        Assert.Equal(mayWrite, rights.MayWrite);
        Assert.Equal(only, rights.Scope.OwnName);
        if (!mayRead) Assert.Null(rights.Restrict(HistoryFilter.None));
    }
}
