// Package classify turns text into labels: a tokenizer, multinomial naive
// Bayes with its variants, VADER sentiment (in the vader subpackage), the
// Model with its taxonomy and file encoding, and the Scorer that combines
// them. It does no file-system I/O.
//
// # Naive Bayes
//
// A [Model] has classes given at run time (the taxonomy's argument ids, or
// any labels), one shared vocabulary, and raw counts only. Scoring derives,
// for class c and term t,
//
//	log θ_tc = log(N_tc + α) − log(N_c + α|V|)      (Lidstone smoothing)
//	log P(c) = log(D_c / Σ D)                         (document counts)
//	score_c(d) = log P(c) + Σ_t f_t(d) log θ_tc
//
// and the posteriors by a softmax over the scores, so that no document,
// however long, underflows. Options switch to complement NB, TF-IDF
// weighting, binarized counts, bigrams, negation marking and stopwords;
// [Preset] names tested combinations. [Model.Learn] and [Model.Unlearn]
// add and remove documents, [Model.Merge] adds a model trained elsewhere:
// the result does not depend on the order of training.
//
// A [Prediction] carries the label, its probability, the runner-up, the
// margin, and the tokens that decided: those with the largest
// f_t(d)·(log θ_t,label − log θ_t,runner-up).
//
// # Tokens
//
// Naive Bayes and VADER tokenize separately. VADER must see case (ALL-CAPS
// emphasis), punctuation (! and ?, "but" clauses, emoticons) and split
// words exactly as vaderSentiment does to reproduce it; naive Bayes wants
// case-folded words without URLs, mentions or HTML. See [Tokenizer].
//
// # Speed
//
// The tokenizer reads ASCII words 8 bytes at a time (lower-casing and
// finding the word's end with word-wide arithmetic) and hashes each token
// once; training and scoring find term ids through an open-addressing
// index keyed by that hash and the token's first 8 bytes, so a short token
// is found without a string comparison or a map. Scoring keeps the
// weights term-major, all classes of a term side by side. None of this
// changes a token, a count or the order of any floating-point sum.
//
// # Model files
//
// A model is written in one of two encodings that hold the same content
// under the same content hash ([Model.Hash]); [DecodeModel] tells them,
// and gzip or zstd around them, by their first bytes.
//
// [Model.Encode] writes versioned, deterministic JSON: the export format,
// readable by anything, and what the hash is defined on (the canonical
// JSON without its format, version, hash and source fields). Reading it
// checks format, version and hash.
//
// [Model.EncodeBinary] writes the binary model file (".stm" in the CLI),
// for large models: a 940k-term model with bigrams loads more than ten
// times faster than from JSON, from a file less than half the size.
// Its layout, all integers little-endian:
//
//	magic        8 bytes   89 'S' 'T' 'M' 0d 0a 1a 0a
//	layout       uint16    1; a newer layout is refused (ErrModelVersion)
//	flags        uint16    1 with fitted weights (a refined model),
//	                       else 0; an unknown flag is refused
//	crc          uint32    CRC-32C (Castagnoli) of the body
//	length       uint64    of the body; a shorter file is truncated
//	body:
//	  meta       uvarint n, then n bytes of JSON: {"version", "hash",
//	             "source", then the canonical JSON's fields from "name"
//	             to "ndocs"} (options, taxonomy, training, held-out
//	             statistics, classes and their totals)
//	  nt         uvarint: the number of terms
//	  lengths    nt uvarints: each term's length in bytes
//	  terms      the terms' bytes, concatenated, in strictly increasing
//	             byte order (valid UTF-8; no term twice)
//	  term_docs  nt uvarints, each at least 1
//	  term_weight  a value column of nt values
//	  nonzero    nt uvarints: per term, its number of nonzero counts
//	             (at most the number of classes)
//	  classes    per nonzero count, term after term: a uvarint, its class
//	             index minus the previous one's minus 1 (the first: its
//	             class index)
//	  counts     a value column of the nonzero counts, in that order
//	with flag 1, the fitted weights of [Model.Refine] (model version 3, or
//	4 for a table on sublinear counts: see [ModelVersion]):
//	  weight_bias  a value column of one bias per class
//	  nonzero, classes, weights: the nonzero weights, as the counts
//
// A value column is a kind byte, 0 (every value a non-negative integer
// below 2^53, as a uvarint) or 1 (float64 bit patterns, 8 bytes each),
// and the values. Every length and count is checked against the bytes
// that remain before anything is allocated, and terms × classes is
// bounded (2^28 counts), so a damaged or hostile file gives an error
// naming the part and byte offset, not a panic or a huge allocation.
//
// Reading a binary file does not recompute the content hash (that costs
// as much as writing the JSON): it checks the CRC of the body, and the
// model's hash is the one stored, computed by the writer. A model that
// is changed afterwards computes its hash afresh.
//
// Writing files atomically is the caller's business.
package classify
