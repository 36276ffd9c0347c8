package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"
)

// csvRenderer writes RFC 4180 CSV with encoding/csv: a header row of column
// keys, then one record per table row, with no caption and no footer. The
// first field of every record is the model's ID (name@hash12), under the key
// "model". Every column is written, data-only ones included. An interval
// column KEY becomes KEY_low and KEY_high; a list is joined with "|", as
// in stance score's CSV; numbers have at most 4 decimals; undefined values
// are empty.
type csvRenderer struct{}

func (r csvRenderer) Render(w io.Writer, t *Table) error { return renderRows(r, w, t) }

// StreamRows writes the header, and returns the functions that write each
// row and end the output: CSV has nothing after its rows.
func (csvRenderer) StreamRows(w io.Writer, t *Table) (row func([]Cell) error, end func(*Table) error, err error) {
	cw := csv.NewWriter(w)
	header := []string{"model"}
	for _, c := range t.Columns {
		if c.Kind == KindInterval {
			header = append(header, c.Key+"_low", c.Key+"_high")
		} else {
			header = append(header, c.Key)
		}
	}
	if err := cw.Write(header); err != nil {
		return nil, nil, fmt.Errorf("write csv: %w", err)
	}
	model := t.Caption.Model.ID
	cols := t.Columns
	var rec []string
	row = func(cells []Cell) error {
		rec = append(rec[:0], model)
		for i, c := range cols {
			rec = append(rec, csvFields(c.Kind, cells[i].Value)...)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	}
	end = func(*Table) error {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	}
	return row, end, nil
}

func csvFields(k Kind, v any) []string {
	switch k {
	case KindInterval:
		iv, ok := v.(Interval)
		if !ok {
			return []string{"", ""}
		}
		return []string{formatNumber(iv.Low), formatNumber(iv.High)}
	case KindNumber:
		x, ok := v.(float64)
		if !ok {
			x = math.NaN()
		}
		return []string{formatNumber(x)}
	case KindList:
		l, _ := v.([]string)
		return []string{strings.Join(l, "|")}
	}
	s, _ := v.(string)
	return []string{s}
}
