// Package training builds and evaluates stance's naive Bayes models: it
// reads taxonomy files (TOML) and labeled data (JSONL, CSV/TSV, fastText),
// trains a [classify.Model] with optional cue-phrase and description
// pseudo-documents, evaluates it by stratified cross-validation or on a test
// set, and embeds the default Huawei model ([Default]).
//
// # Taxonomy file
//
// A taxonomy is a TOML file:
//
//	subject  = "Huawei in Europe's 5G networks"
//	stances  = ["for", "against", "neutral"]
//	fallback = "other"
//
//	[[arguments]]
//	id          = "no-evidence"
//	name        = "No evidence"
//	stance      = "for"
//	description = "There is no proof that Huawei spies."
//	cues        = ["no evidence", "never found a backdoor"]
//
// Every argument needs an id (no spaces) and a name; a stance, when given,
// must be one of the stances; the fallback must be an argument id. Unknown
// keys are errors. Errors read "FILE:LINE: problem".
//
// # Labeled data
//
// [ReadDocs] detects the format from the content: a line starting with
// "__label__" marks fastText, a first line starting with "{" marks JSONL,
// anything else is CSV (or TSV when the header holds a tab) with a header
// naming the text and label columns. See [ReadJSONL], [ReadCSV] and
// [ReadFastText]. [DocReader] reads the same formats one document at a
// time, for training on a stream; both read through comments.OpenText
// (gzip, zstd, byte-order mark, binary input refused) and apply the
// retraction records of labels files written by `stance label`.
package training
