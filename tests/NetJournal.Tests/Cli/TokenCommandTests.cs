using NetJournal.Cli;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Tests.Cli;

/// <summary>`netjournal token`: the web view's token of a key found as client commands find theirs, in a config folder of the test's own.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "netjournal-token-" + Guid.NewGuid().ToString("N"));

    private string? Environment(string name) => name == "XDG_CONFIG_HOME" ? _config : null;

    public void Dispose()
    {
        try { Directory.Delete(_config, recursive: true); } catch (IOException) { }
    }

    private ClientKey Save(string name)
    {
        var key = ClientKey.Generate();
        Directory.CreateDirectory(KeyFolder.Path(Environment));
        ClientKeyFile.Write(KeyFolder.FileOf(name, Environment), name, key);
        return key;
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, In = TextReader.Null, Environment = Environment };
        var code = await CliApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Token_prints_the_token_of_the_only_key_of_a_named_key_or_of_a_key_file_and_never_the_key()
    {
        var alice = Save("alice");
        var (code, output, error) = await RunAsync("token");
        Assert.Equal(0, code);
        Assert.Equal(WebToken.Derive("alice", alice) + "\n", output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(alice.ToString(), output + error, StringComparison.Ordinal);
        Assert.Contains("keep it private", error);

        var bob = Save("bob");
        Assert.Equal(WebToken.Derive("bob", bob), (await RunAsync("token", "--name", "bob")).Out.Trim());
        Assert.Equal(WebToken.Derive("alice", alice), (await RunAsync("token", "--key", KeyFolder.FileOf("alice", Environment))).Out.Trim());
    }

    [Fact]
    public async Task Without_a_key_it_says_how_to_make_one_and_a_wrong_command_line_is_exit_2()
    {
        var (code, output, error) = await RunAsync("token");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("there is no key in", error);
        Assert.Contains("netjournal keygen NAME", error);

        (code, _, error) = await RunAsync("token", "--name", "carol");
        Assert.Equal(1, code);
        Assert.Contains("there is no key for 'carol'", error);

        Save("alice");
        Save("bob");
        (code, _, error) = await RunAsync("token");
        Assert.Equal(2, code);
        Assert.Contains("choose one with --name or --key", error);

        // --key and --name naming two clients is a wrong command line, not the key file's token.
        (code, output, error) = await RunAsync("token", "--key", KeyFolder.FileOf("alice", Environment), "--name", "bob");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("is alice's, not 'bob'", error);
        Assert.Equal(0, (await RunAsync("token", "--key", KeyFolder.FileOf("alice", Environment), "--name", "alice")).Code);

        Assert.Equal(2, (await RunAsync("token", "--bogus")).Code);
        Assert.Equal(2, (await RunAsync("token", "extra")).Code);
    }
}
