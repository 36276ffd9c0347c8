package report

import (
	"bufio"
	"io"
	"strings"
)

// markdownRenderer writes a GitHub-flavoured markdown table: the caption as
// a paragraph (a NoCaption table: its Title as a heading), the header, an
// alignment row (numbers right-aligned), the rows, the totals as a last
// bold row, then the notes (a table without columns: its notes alone).
// "|" in a cell is escaped as "\|" and line breaks become spaces.
type markdownRenderer struct{}

func (markdownRenderer) Render(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	switch {
	case !t.NoCaption:
		lines := t.Caption.Lines(t.Title)
		for i, l := range lines {
			bw.WriteString(mdEscape(l))
			if i < len(lines)-1 {
				bw.WriteString("  ") // hard line break
			}
			bw.WriteString("\n")
		}
		bw.WriteString("\n")
	case t.Title != "":
		bw.WriteString("## " + mdEscape(t.Title) + "\n\n")
	}
	cols := visible(t)
	if len(cols) == 0 {
		for _, n := range t.Notes {
			bw.WriteString(mdEscape(n) + "  \n")
		}
		return bw.Flush()
	}
	line := func(cells []string) {
		bw.WriteString("|")
		for _, c := range cells {
			bw.WriteString(" " + c + " |")
		}
		bw.WriteString("\n")
	}
	var head, rule []string
	for _, i := range cols {
		head = append(head, mdEscape(t.Columns[i].Header))
		if t.Columns[i].Align == AlignRight {
			rule = append(rule, "---:")
		} else {
			rule = append(rule, "---")
		}
	}
	line(head)
	line(rule)
	for _, row := range t.Rows {
		cells := pick(row, cols)
		for i := range cells {
			cells[i] = mdEscape(cells[i])
		}
		line(cells)
	}
	if t.Footer != nil {
		cells := pick(t.Footer, cols)
		for i := range cells {
			if cells[i] != "" {
				cells[i] = "**" + mdEscape(cells[i]) + "**"
			}
		}
		line(cells)
	}
	if len(t.Notes) > 0 {
		bw.WriteString("\n")
		for _, n := range t.Notes {
			bw.WriteString(mdEscape(n) + "  \n")
		}
	}
	return bw.Flush()
}

var mdReplacer = strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r\n", " ", "\n", " ", "\r", " ")

func mdEscape(s string) string { return flat(mdReplacer.Replace(s)) }
