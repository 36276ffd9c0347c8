package batch

import (
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/internal/record"
)

// Encoder turns scored comments into bytes. Implementations must be safe for
// concurrent use: workers encode their batches in parallel.
type Encoder interface {
	// Header returns what goes once at the start of the output (nil for none).
	Header() []byte
	// AppendBatch appends the encoding of the results, in order, to dst and
	// returns the extended buffer.
	AppendBatch(dst []byte, rs []classify.Result) []byte
}

// NewEncoder returns the encoder of the records of a format, in the schema
// of the package doc: "jsonl" (or "") or "csv". model is the identity
// written in every record ("name@hash"); text adds the body. An unknown
// format is a *FormatError.
func NewEncoder(format, model string, text bool) (Encoder, error) {
	return record.New(format, model, text)
}

// FormatError reports an unknown output format.
type FormatError = record.FormatError
