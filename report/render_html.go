package report

import (
	"fmt"
	"html/template"
	"io"
)

// htmlRenderer writes a self-contained HTML page (inline CSS, no scripts):
// the caption, the table with its totals, and the notes.
type htmlRenderer struct{}

var htmlPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
caption { text-align: left; margin-bottom: .5em; }
th, td { border-bottom: 1px solid #ccc; padding: .25em .6em; vertical-align: top; }
th { text-align: left; }
.r { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; border-top: 2px solid #222; }
p.note { font-size: .9em; color: #555; }
</style>
</head>
<body>
<table>
<caption>{{range $i, $l := .Caption}}{{if $i}}<br>{{end}}{{$l}}{{end}}</caption>
<thead><tr>{{range .Header}}<th{{if .Right}} class="r"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td{{if .Right}} class="r"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
{{if .Footer}}<tfoot><tr>{{range .Footer}}<td{{if .Right}} class="r"{{end}}>{{.Text}}</td>{{end}}</tr></tfoot>
{{end}}</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</body>
</html>
`))

type htmlCell struct {
	Text  string
	Right bool
}

func (htmlRenderer) Render(w io.Writer, t *Table) error {
	cols := visible(t)
	cells := func(row []Cell) []htmlCell {
		out := make([]htmlCell, len(cols))
		for j, i := range cols {
			out[j] = htmlCell{row[i].Text, t.Columns[i].Align == AlignRight}
		}
		return out
	}
	data := struct {
		Title   string
		Caption []string
		Header  []htmlCell
		Rows    [][]htmlCell
		Footer  []htmlCell
		Notes   []string
	}{Title: t.Title, Caption: t.Caption.Lines(t.Title), Notes: t.Notes}
	for _, i := range cols {
		data.Header = append(data.Header, htmlCell{t.Columns[i].Header, t.Columns[i].Align == AlignRight})
	}
	for _, row := range t.Rows {
		data.Rows = append(data.Rows, cells(row))
	}
	if t.Footer != nil {
		data.Footer = cells(t.Footer)
	}
	if err := htmlPage.Execute(w, data); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}
