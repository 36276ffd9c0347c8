package comments

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// headSize is how much of an input [OpenText] peeks at: the bytes that tell
// binary from text and the format.
const headSize = 64 << 10

// TextInput is an input made ready for a reader: decompressed, without a
// UTF-8 byte-order mark, and checked to be text. [Open] reads comments
// through one; other readers of text (labeled data in package training)
// use it the same way, so that every input is sniffed and decompressed in
// one place.
type TextInput struct {
	br          *bufio.Reader
	head        []byte
	compression string
	closers     []io.Closer
}

// Compression tells the compression of an input from its first bytes (the
// magic numbers): "gzip", "zstd", or "" for none.
func Compression(head []byte) string {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return "gzip"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	}
	return ""
}

// compressed tells gzip and zstd input by its magic bytes.
func compressed(head []byte) bool { return Compression(head) != "" }

// OpenText prepares the input r, named name in errors, for reading: it
// decompresses gzip and zstd (told by their magic bytes, see
// [Compression]), strips a UTF-8 byte-order mark, and rejects binary input
// (a NUL byte or mostly invalid UTF-8 in the first 64 KiB) with a
// *ParseError wrapping ErrNotText. Compressed input that ends early or is
// corrupt gives, where it breaks, a *ParseError wrapping ErrTruncated that
// names the compression and the last complete line; up to there it reads
// as usual (a corrupt gzip header fails here, wrapping ErrTruncated). The caller closes r; Close releases the decompressor.
func OpenText(name string, r io.Reader) (*TextInput, error) {
	t := &TextInput{}
	br := bufio.NewReaderSize(r, headSize)
	magic, _ := br.Peek(4)
	var src io.Reader = br
	switch t.compression = Compression(magic); t.compression {
	case "gzip":
		zr, err := gzip.NewReader(br)
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &ParseError{File: name, Err: fmt.Errorf("%w: the gzip data ends early (no line is complete): %w", ErrTruncated, io.ErrUnexpectedEOF)}
		}
		if err != nil {
			return nil, &ParseError{File: name, Err: fmt.Errorf("%w: the gzip header is corrupt (no line is complete): %w", ErrTruncated, err)}
		}
		t.closers = append(t.closers, zr)
		src = &decompressed{r: zr, file: name, kind: "gzip"}
	case "zstd":
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, &ParseError{File: name, Err: fmt.Errorf("read zstd: %w", err)}
		}
		t.closers = append(t.closers, closerFunc(func() error { zr.Close(); return nil }))
		src = &decompressed{r: zr, file: name, kind: "zstd"}
	}
	t.br = br
	if src != io.Reader(br) {
		t.br = bufio.NewReaderSize(src, headSize)
	}
	head, err := t.br.Peek(headSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && !errors.Is(err, ErrTruncated) {
		// (a truncated input is read up to its last complete line: the
		// decompressor's error is sticky, and comes again at its place)
		t.Close()
		return nil, &ParseError{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		t.br.Discard(3)
		head = head[3:]
	}
	if err := sniffBinary(name, head); err != nil {
		t.Close()
		return nil, err
	}
	t.head = head
	return t, nil
}

// Head returns the first bytes of the text (up to 64 KiB, decompressed,
// without the byte-order mark), to detect its format. It is valid until
// the first Read.
func (t *TextInput) Head() []byte { return t.head }

// Compression returns the input's compression: "gzip", "zstd" or "".
func (t *TextInput) Compression() string { return t.compression }

// Read reads the text, from its start (the bytes of Head included).
func (t *TextInput) Read(p []byte) (int, error) { return t.br.Read(p) }

// Close releases the decompressor. It does not close the reader given to
// [OpenText].
func (t *TextInput) Close() error {
	var err error
	for _, c := range t.closers {
		err = errors.Join(err, c.Close())
	}
	t.closers = nil
	return err
}
