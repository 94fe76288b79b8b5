namespace NetJournal.Testing;

/// <summary>
/// A fault a test injects through a seam (a store or a listener that throws) to see the server stop: a type no
/// production code throws, so a test that catches it knows the fault is the one it injected.
/// </summary>
public sealed class InjectedFaultException(string message) : Exception(message);
