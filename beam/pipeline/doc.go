// Package pipeline builds stance's scoring, table and training pipelines on
// Apache Beam: the same scorer (classify), record encoder (batch), tables
// (report) and trainer (training) as the stance command, run by a Beam
// runner (Prism in-process by default; Flink, Spark or Dataflow through
// Beam's portable runner).
//
// # Reading
//
// Inputs are a glob (local paths, or any Beam filesystem such as gs://),
// matched and opened with fileio. Each matched file is read whole, as a
// stream, by one worker with comments.Open, exactly as `stance score FILE...`
// reads each FILE: the same format detection, gzip and zstd, the same IDs
// (c1..cN per file when the source has none) and the same reply linking,
// which is done per file. A file is the unit of parallelism: split a big
// dump into shards, and keep each thread's comments in one shard, since
// replies are linked within a file only (as the stance command does for
// several files). A shard per thread key (articleID, link_id) is the safe
// way; a format without thread keys (the NYT page layout, plain lines) is
// one thread per file.
//
// Every comment carries its position, (file, index in the file), so that
// what depends on the input order (the order of the records of a shard,
// the first appearance of a thread, the first of duplicate IDs) is the
// same as in one pass.
//
// # Pipelines
//
//   - [Score]: one scored record per comment, encoded by batch's encoder
//     (byte for byte the records of `stance score`), in shards keyed by
//     position; each shard's records in input order.
//   - [Table]: the stance tables, counted by a CombineFn whose accumulator is
//     a report.Aggregator (merged with Aggregator.MergeState). The exchange
//     table joins each reply to its parent with CoGroupByKey on (thread,
//     ID). The JSON is that of `stance table`, up to the 4th decimal of
//     means whose sums were added in another order.
//   - [Train]: the naive Bayes counts by a CombineFn (model counts merge
//     exactly with classify's Model.Merge), then one worker adds what needs
//     the documents in order (see [Train]).
//
// Bad records stop the job with their FILE:LINE, or with SkipBad are
// counted (counter stance/skipped) and listed.
package pipeline
