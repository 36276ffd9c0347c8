// Package classify turns text into labels: a tokenizer, multinomial naive
// Bayes with its variants, VADER sentiment (in the vader subpackage), the
// Model with its taxonomy and file encoding, and the Scorer that combines
// them. It does no file-system I/O.
package classify
