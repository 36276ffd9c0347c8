// Package comments holds the comment and thread model of stance, and the
// readers and writers for every input format it understands.
//
// [Open] is the entry point: it takes any input (plain, gzip or zstd, with
// or without a byte-order mark), detects its format from the content, and
// returns a [Stream] of [Comment] values with their replies linked. Every
// reader streams: memory grows with one record and with the authors of one
// thread, never with the input.
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
// Replies: a body beginning with "@Name" answers the latest earlier
// comment by Name in the same thread; a source parent ID wins ([Linker]).
//
// Bad input gives a [*ParseError] ("FILE:LINE: field F: what is wrong");
// ParseError.Skippable tells whether reading can go on with the next
// record. Writers: [JSONLWriter], [CSVWriter] and [TableWriter].
package comments
