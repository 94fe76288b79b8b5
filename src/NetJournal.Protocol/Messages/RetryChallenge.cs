namespace NetJournal.Protocol;

/// <summary>"Prove your address": repeat the request with this token before a large reply is sent.</summary>
public sealed record RetryChallenge(uint RequestId, ReadOnlyMemory<byte> Token) : JournalMessage
{
    public override MessageType Type => MessageType.RetryChallenge;
}
