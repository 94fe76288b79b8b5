using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>The server refused a request and said why.</summary>
public sealed class JournalRequestException(ErrorCode code, string detail)
    : Exception(string.IsNullOrEmpty(detail) ? ErrorText.Describe(code) : $"{ErrorText.Describe(code)}: {detail}")
{
    public ErrorCode Code { get; } = code;
}
