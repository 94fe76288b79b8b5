using System.Net;
using System.Text;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class ClientAddressTests
{
    [Fact]
    public void The_same_name_from_a_source_is_decoded_once_and_a_new_name_is_decoded_again()
    {
        var from = new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000));
        var first = from.Name(Encoding.UTF8.GetBytes("alice"));
        Assert.Equal("alice", first);
        Assert.Same(first, from.Name(Encoding.UTF8.GetBytes("alice")));
        Assert.Equal("张三 🙂", from.Name(Encoding.UTF8.GetBytes("张三 🙂")));
        Assert.Equal("alice", from.Name(Encoding.UTF8.GetBytes("alice")));
        Assert.Equal("", from.Name([]));
    }
}
