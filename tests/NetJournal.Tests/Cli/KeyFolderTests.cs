using NetJournal.Cli;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Tests.Cli;

/// <summary>Which key a client command takes by itself (<see cref="KeyFolder.Choose"/>), in a config folder of the test's own.</summary>
public sealed class KeyFolderTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "netjournal-keys-" + Guid.NewGuid().ToString("N"));

    private string? Environment(string name) => name == "XDG_CONFIG_HOME" ? _config : null;

    public void Dispose()
    {
        try { Directory.Delete(_config, recursive: true); } catch (IOException) { }
    }

    private void Save(string name)
    {
        Directory.CreateDirectory(KeyFolder.Path(Environment));
        ClientKeyFile.Write(KeyFolder.FileOf(name, Environment), name, ClientKey.Generate());
    }

    [Fact]
    public void The_only_key_is_taken_without_a_name_and_several_keys_without_a_name_are_an_error_naming_them()
    {
        Save("alice");
        Assert.Equal("alice", KeyFolder.Choose(null, null, Environment)!.Name);

        Save("bob");
        var error = Assert.Throws<FormatException>(() => KeyFolder.Choose(null, null, Environment));
        Assert.Contains("2 keys (alice, bob)", error.Message);
        Assert.Equal("bob", KeyFolder.Choose(null, "bob", Environment)!.Name);
    }

    [Fact]
    public void A_key_path_that_names_no_file_is_said_in_our_words()
    {
        var error = Assert.Throws<IOException>(() => KeyFolder.Choose(Path.Combine(_config, "none.key"), null, Environment));
        Assert.StartsWith("there is no key file at ", error.Message);
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("张三", true)]
    [InlineData("../evil", false)]
    [InlineData("a/b", false)]
    [InlineData(".hidden", false)]
    public void A_name_is_a_key_file_name_only_without_separators_or_a_leading_dot(string name, bool ok) =>
        Assert.Equal(ok, KeyFolder.IsFileName(name));
}
