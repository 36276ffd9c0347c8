package main

import "flag"

// update rewrites the golden files of this package's tests instead of
// comparing with them: `go test ./cmd/stance -update`, then read the diff.
var update = flag.Bool("update", false, "rewrite golden files")
