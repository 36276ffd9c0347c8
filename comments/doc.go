// Package comments holds the comment and thread model of stance, and the
// readers and writers for every input format it understands.
//
// [Open] is the entry point: it takes any input (plain, gzip or zstd, with
// or without a byte-order mark), detects its format from the content, and
// returns a [Stream] of [Comment] values with their replies linked. Every
// reader streams, and memory is bounded whatever the input: one record, of
// at most Options.MaxRecord bytes (16 MiB by default; a longer record is a
// bad record, skipped without being held whole), and the linker's window of
// recent threads, IDs and authors ([Linker]), never the input.
//
// Formats, one reader each:
//
//   - nyt: a thread as copied from an NYT article page ([NYTReader]);
//   - jsonl: JSON Lines, with the usual key aliases, Pushshift included ([JSONLReader]);
//   - csv, tsv: a header row, the NYT comments dataset included ([CSVReader]);
//   - nytapi: the NYT community API's JSON, nested replies flattened ([NYTAPIReader]);
//   - lines: one comment per line ([LinesReader]).
//
// JSON Lines can also be decoded in parallel chunks ([OpenJSONLChunks],
// [JSONLChunkDecoder]), with the same result as Open.
//
// Threads: a dump may hold many articles, told by a thread key (thread,
// articleID, link_id, assetID, articleURL or url, in that order of
// preference; see [Fields]) into Comment.ThreadID. Replies are linked
// within their thread only, and threads may interleave.
//
// Replies: a body beginning with "@Name" answers the latest earlier
// comment by Name in the same thread; a source parent ID wins ([Linker]).
//
// Bad input gives a [*ParseError] ("FILE:LINE: field F: what is wrong");
// ParseError.Skippable tells whether reading can go on with the next
// record. Binary input is told on the first 64 KiB only (ErrNotText); past
// them a record with a NUL byte is a bad record like any other (ErrNUL), as
// is a record over the size limit (ErrTooLong). Compressed input that ends
// early names the compression and the last complete line (ErrTruncated).
// Deleted Reddit comments ("[deleted]", "[removed]") are skipped and
// counted ([Stream.Deleted]); duplicate IDs are warned about
// ([Stream.Duplicates]). Writers: [JSONLWriter], [CSVWriter] and
// [TableWriter].
package comments
