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
// column KEY becomes KEY_low and KEY_high; a list is joined with "; ";
// numbers have at most 4 decimals; undefined values are empty.
type csvRenderer struct{}

func (csvRenderer) Render(w io.Writer, t *Table) error {
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
		return fmt.Errorf("write csv: %w", err)
	}
	model := t.Caption.Model.ID
	for _, row := range t.Rows {
		rec := []string{model}
		for i, c := range t.Columns {
			rec = append(rec, csvFields(c.Kind, row[i].Value)...)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
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
		return []string{strings.Join(l, "; ")}
	}
	s, _ := v.(string)
	return []string{s}
}
