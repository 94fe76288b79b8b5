namespace NetJournal.IntegrationTests;

internal static class Lines
{
    public static async IAsyncEnumerable<string> Of(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }
}
