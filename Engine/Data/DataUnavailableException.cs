namespace GraphDL.Data;

/// <summary>
/// A data set could not be found in its cache nor fetched from any source. The message lists every
/// source that was tried and why it failed, and says where to put the files by hand.
/// </summary>
public sealed class DataUnavailableException(string message) : IOException(message);
