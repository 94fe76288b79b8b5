using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class ForwardTargetTests
{
    [Theory]
    [InlineData("syslog://127.0.0.1:5514", "127.0.0.1", 5514)]
    [InlineData("syslog://logs.example.com", "logs.example.com", 514)]
    [InlineData("syslog://[::1]:601", "::1", 601)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        var target = ForwardTarget.Parse(text);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
    }

    [Theory]
    [InlineData("udp://127.0.0.1:514")]
    [InlineData("127.0.0.1:514")]
    [InlineData("syslog://127.0.0.1:514/path")]
    [InlineData("syslog://")]
    public void Refuses_anything_else(string text) => Assert.Throws<FormatException>(() => ForwardTarget.Parse(text));

    [Fact]
    public void Prints_as_it_is_given() => Assert.Equal("syslog://[::1]:601", ForwardTarget.Parse("syslog://[::1]:601").ToString());
}
