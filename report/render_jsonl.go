package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// jsonlRenderer writes JSON Lines: one object per table row, keys in column
// order after a first "model" key (the model's ID), values typed as in the
// json format's rows; no caption, no totals. It streams: each row is
// written as it comes.
type jsonlRenderer struct{}

func (r jsonlRenderer) Render(w io.Writer, t *Table) error { return renderRows(r, w, t) }

// StreamRows returns the functions that write each row and end the output.
func (jsonlRenderer) StreamRows(w io.Writer, t *Table) (row func([]Cell) error, end func(*Table) error, err error) {
	bw := bufio.NewWriter(w)
	model, _ := json.Marshal(t.Caption.Model.ID)
	cols := t.Columns
	row = func(cells []Cell) error {
		line, err := json.Marshal(jsonRow{cols, cells})
		if err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
		bw.WriteString(`{"model":`)
		bw.Write(model)
		if len(line) > 2 {
			bw.WriteByte(',')
		}
		bw.Write(line[1:])
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
		return nil
	}
	end = func(*Table) error {
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
		return nil
	}
	return row, end, nil
}
