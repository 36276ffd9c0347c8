// Command gendefault retrains the default model from the embedded seed
// labels and taxonomy and writes training/default/model.json.gz. Run it
// from the training directory with `go generate` (see default.go).
package main

import (
	"fmt"
	"os"

	"github.com/stance-dev/stance/internal/atomicfile"
	"github.com/stance-dev/stance/training"
)

func main() {
	if err := run("default/model.json.gz"); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	m, err := training.BuildDefault()
	if err != nil {
		return err
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := training.WriteModelGzip(f, m); err != nil {
		return err
	}
	if err := f.Commit(); err != nil {
		return err
	}
	fmt.Println("wrote", path, m.ID())
	return nil
}
