package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// SchemaVersion names the JSON schema written by the json format.
const SchemaVersion = "stance.table/v2"

// jsonTable is the JSON document of a table; see the package documentation
// for the schema. Structs keep the key order stable.
type jsonTable struct {
	Schema    string       `json:"schema"`
	Table     string       `json:"table"`
	Title     string       `json:"title"`
	Input     jsonInput    `json:"input"`
	Model     jsonModel    `json:"model"`
	Weighting jsonWeight   `json:"weighting"`
	Estimate  *jsonEst     `json:"estimate,omitempty"`
	Columns   []jsonColumn `json:"columns"`
	Rows      []jsonRow    `json:"rows"`
	Totals    *jsonRow     `json:"totals"`
	Notes     []string     `json:"notes"`
}

type jsonInput struct {
	Files    []string `json:"files"`
	Thread   string   `json:"thread,omitempty"`
	Threads  int      `json:"threads,omitempty"`
	Comments int      `json:"comments"`
	Foreign  *float64 `json:"foreign,omitempty"`
	Skipped  int      `json:"skipped"`
}

type jsonModel struct {
	Name string `json:"name"`
	Hash string `json:"hash"`
	ID   string `json:"id"`
}

type jsonWeight struct {
	Weight    string  `json:"weight"`
	PerAuthor bool    `json:"per_author"`
	Total     float64 `json:"total"`
	Interval  string  `json:"interval"`
	Bootstrap *int    `json:"bootstrap,omitempty"`
	Seed      *int64  `json:"seed,omitempty"`
	AllOne    bool    `json:"all_weights_one,omitempty"`
}

// jsonEst is how the shares were estimated (argument and stance tables).
type jsonEst struct {
	Method    string  `json:"method"`
	Adjusted  bool    `json:"adjusted"`
	Draws     int     `json:"draws,omitempty"`
	Threshold float64 `json:"unclear_threshold"`
	Unclear   float64 `json:"unclear"`
	Note      string  `json:"note,omitempty"`
}

type jsonColumn struct {
	Key      string `json:"key"`
	Header   string `json:"header"`
	Type     string `json:"type"`
	Align    string `json:"align"`
	DataOnly bool   `json:"data_only,omitempty"`
}

// jsonRow is one row as an object whose keys follow the column order.
type jsonRow struct {
	cols  []Column
	cells []Cell
}

func (r jsonRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(jsonValue(c.Kind, r.cells[i].Value))
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Key, err)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonValue(k Kind, v any) any {
	switch k {
	case KindNumber:
		x, ok := v.(float64)
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return round4(x)
	case KindInterval:
		iv, ok := v.(Interval)
		if !ok || !iv.Valid() {
			return nil
		}
		return Interval{round4(iv.Low), round4(iv.High)}
	case KindList:
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		return l
	}
	s, ok := v.(string)
	if !ok {
		return nil
	}
	return s
}

var kindNames = map[Kind]string{KindText: "text", KindNumber: "number", KindInterval: "interval", KindList: "list"}

// jsonRenderer writes the table as one indented JSON document.
type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, t *Table) error {
	c := t.Caption
	doc := jsonTable{
		Schema: SchemaVersion,
		Table:  t.Kind,
		Title:  t.Title,
		Input:  jsonInput{Files: nonNil(c.Inputs), Thread: c.Thread, Threads: c.Threads, Comments: c.Comments, Skipped: c.Skipped},
		Model:  jsonModel(c.Model),
		Weighting: jsonWeight{Weight: c.Weighting.Weight, PerAuthor: c.Weighting.PerAuthor,
			Total: round4(c.Weighting.Total), Interval: c.Weighting.Interval, AllOne: c.Weighting.AllOne},
		Rows:  []jsonRow{},
		Notes: nonNil(t.Notes),
	}
	if c.Foreign.Measured > 0 {
		f := round4(c.Foreign.Share)
		doc.Input.Foreign = &f
	}
	if e := c.Estimate; e != nil {
		doc.Estimate = &jsonEst{Method: e.Method, Adjusted: e.Adjusted, Draws: e.Draws,
			Threshold: round4(e.Threshold), Unclear: round4(e.Unclear), Note: e.Note}
	}
	if c.Weighting.Interval == IntervalBootstrap {
		b, s := c.Weighting.Bootstrap, c.Weighting.Seed
		doc.Weighting.Bootstrap, doc.Weighting.Seed = &b, &s
	}
	for _, col := range t.Columns {
		align := "left"
		if col.Align == AlignRight {
			align = "right"
		}
		doc.Columns = append(doc.Columns, jsonColumn{Key: col.Key, Header: col.Header, Type: kindNames[col.Kind], Align: align, DataOnly: col.DataOnly})
	}
	for _, row := range t.Rows {
		doc.Rows = append(doc.Rows, jsonRow{t.Columns, row})
	}
	if t.Footer != nil {
		doc.Totals = &jsonRow{t.Columns, t.Footer}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
