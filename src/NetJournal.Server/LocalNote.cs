using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// A note written inside the server's own process (the web view, the bot), for <see cref="JournalServer.AppendAsync"/>.
/// Client is the name it is stored under (<see cref="NoteRules.CheckName"/>), Address where it came from as shown in
/// history (for the web view the browser's address), Text one line (<see cref="NoteRules.Check(string)"/>).
/// </summary>
public readonly record struct LocalNote(string Client, string Address, string Text, NoteOrigin Origin);
