using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeysServerTests
{
    [Theory]
    [InlineData("write", ClientRights.Write)]
    [InlineData("read-all,read-own", ClientRights.ReadOwn)]
    [InlineData("write,read-all", ClientRights.Write | ClientRights.ReadAll)]
    [InlineData("write,none,read-all", ClientRights.None)]
    public void Rights_combine_and_the_narrower_wins(string text, ClientRights expected) =>
        Assert.Equal(expected, ClientsFile.ParseRights(text));

    [Fact]
    public void The_clients_file_reads_names_keys_and_rights_and_names_a_bad_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            var alice = ClientKey.Generate();
            File.WriteAllText(path, $"# team\n\nalice {alice} write,read-own\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var file = ClientsFile.Load(path);
            var client = Assert.Single(file.Clients);
            Assert.Equal(("alice", 3, ClientRights.Write | ClientRights.ReadOwn), (client.Name, client.Line, client.Rights));
            Assert.Same(client, file.Find(alice.Id));

            File.WriteAllText(path, $"alice {alice} write\nbob {alice} write\n");
            Assert.Contains("line 2: this key is already on an earlier line", Assert.Throws<InvalidDataException>(() => ClientsFile.Load(path)).Message);
            File.WriteAllText(path, $"[alice] {alice} write\n");
            Assert.Contains("line 1: a name may not start with '['", Assert.Throws<InvalidDataException>(() => ClientsFile.Load(path)).Message);
            File.WriteAllText(path, $"alice {alice} write\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Contains("chmod 600", Assert.Throws<InvalidDataException>(() => ClientsFile.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_own_narrows_every_filter_to_its_name_and_a_filter_for_another_to_nothing()
    {
        var store = new MemoryJournalStore(TimeProvider.System);
        var scope = ReadScope.Own("bob");
        Assert.Equal("bob", scope.Narrow(HistoryFilter.None).Client);
        Assert.Equal(new HistoryFilter(Client: "bob", Grep: "x"), scope.Narrow(new HistoryFilter(Grep: "x")));
        Assert.Equal(0UL, store.Count(scope.Narrow(new HistoryFilter(Client: "alice")), 0).Matched);
        Assert.Same(HistoryFilter.None, ReadScope.All.Narrow(HistoryFilter.None));
        Assert.True(scope.Admits("bob"));
        Assert.False(scope.Admits("alice"));
        Assert.False(ReadScope.Nothing.Admits("bob"));
        Assert.True(ReadScope.Nothing.IsNothing);
    }
}
