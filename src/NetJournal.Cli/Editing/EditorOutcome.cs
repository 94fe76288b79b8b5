namespace NetJournal.Cli.Editing;

/// <summary>What a key did to the line being typed (<see cref="LineEditor.Handle"/>).</summary>
public enum EditorOutcome
{
    /// <summary>Nothing to redraw: a key with no effect here, or part of one (the first half of a surrogate pair).</summary>
    None,

    /// <summary>The text or the cursor moved: redraw the line.</summary>
    Changed,

    /// <summary>Enter: the line is done.</summary>
    Submit,

    /// <summary>Ctrl-D on an empty line: leave.</summary>
    EndOfInput,

    /// <summary>Ctrl-L: clear the screen and draw the line again at its top.</summary>
    ClearScreen,
}
