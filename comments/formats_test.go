package comments

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	t0 := time.Unix(1577456400, 0).UTC()
	tests := []struct {
		name   string
		format string // detected format
		opt    Options
		in     string
		want   []Comment
	}{
		{"jsonl aliases", "jsonl", Options{},
			`{"commentID": 11, "commentBody": "Huawei is a risk.", "userDisplayName": "Ann", "userLocation": "Oslo", "recommendations": 4, "editorsSelection": true, "createDate": "1577456400", "parentID": 0, "articleID": "a1", "sharing": 1}
{"id": "12", "body": "@Ann no", "user": "Bo", "n_recommend": "2", "parent_id": "", "articleID": "a1"}
{"comment": "Third", "userName": "Cy", "inReplyTo": 11, "score": 1, "created_utc": 1577456400.5, "articleID": "a1"}
`,
			[]Comment{
				{ID: "11", Author: "Ann", Location: "Oslo", Text: "Huawei is a risk.", Recommendations: 4, EditorsPick: true, Created: t0, ThreadID: "a1",
					Extra: map[string]any{"sharing": json.Number("1")}},
				{ID: "12", Author: "Bo", Text: "@Ann no", ReplyTo: "Ann", ParentID: "11", Depth: 1, Recommendations: 2, ThreadID: "a1"},
				{ID: "c3", Author: "Cy", Text: "Third", ParentID: "11", Depth: 1, Recommendations: 1, Created: t0.Add(500 * time.Millisecond), ThreadID: "a1"},
			}},
		{"jsonl pushshift", "jsonl", Options{},
			`{"id": "t1_aa", "body": "top", "author": "u1", "parent_id": "t3_xyz", "link_id": "t3_xyz", "score": 5, "created_utc": 1577456400}
{"id": "bb", "body": "@u1 reply", "author": "u2", "parent_id": "t1_aa", "link_id": "t3_xyz"}
{"id": "cc", "body": "@u1 other thread", "author": "u3", "parent_id": "t3_qqq"}
`,
			[]Comment{
				{ID: "aa", Author: "u1", Text: "top", Recommendations: 5, Created: t0, ThreadID: "xyz"},
				{ID: "bb", Author: "u2", Text: "@u1 reply", ReplyTo: "u1", ParentID: "aa", Depth: 1, ThreadID: "xyz"},
				// a new thread: u1 is unknown there
				{ID: "cc", Author: "u3", Text: "@u1 other thread", ReplyTo: "u1", ThreadID: "qqq"},
			}},
		{"csv NYT dataset", "csv", Options{},
			"articleID,commentBody,commentID,createDate,depth,editorsSelection,parentID,recommendations,userDisplayName,userLocation,sharing\n" +
				"a1,\"Huawei is a risk.<br/>Really.\",11,1577456400,1,True,0,4,Ann,\"Oslo, Norway\",1\n" +
				"a1,\"@Ann no, \"\"it\"\" isn't\",12,1577456400,2,False,11,0,Bo,,0\n",
			[]Comment{
				{ID: "11", Author: "Ann", Location: "Oslo, Norway", Text: "Huawei is a risk.<br/>Really.", Recommendations: 4, EditorsPick: true,
					Created: t0, ThreadID: "a1", Extra: map[string]any{"sharing": "1"}},
				{ID: "12", Author: "Bo", Text: `@Ann no, "it" isn't`, ReplyTo: "Ann", ParentID: "11", Depth: 1, Created: t0, ThreadID: "a1",
					Extra: map[string]any{"sharing": "0"}},
			}},
		{"csv column overrides", "csv", Options{Columns: map[string]string{"text": "body_txt", "author": "who"}},
			"who,body_txt,text\nAnn,real body,not the body\n",
			[]Comment{{ID: "c1", Author: "Ann", Text: "real body", Extra: map[string]any{"text": "not the body"}}}},
		{"tsv", "tsv", Options{},
			"author\tlocation\ttext\nAnn\tOslo\tHe said \"no\" twice\nBo\t\t@Ann yes\n",
			[]Comment{{ID: "c1", Author: "Ann", Location: "Oslo", Text: `He said "no" twice`},
				{ID: "c2", Author: "Bo", Text: "@Ann yes", ReplyTo: "Ann", ParentID: "c1", Depth: 1}}},
		{"nytapi nested replies", "nytapi", Options{},
			`{"status":"OK","copyright":"x","results":{"totalCommentsFound":3,"comments":[
  {"commentID":1,"commentBody":"Trust &amp; verify.<br/>Then trust less.","userDisplayName":"Ann","userLocation":"Oslo","recommendations":7,"editorsSelection":true,"createDate":"1577456400","parentID":null,
   "replies":[{"commentID":2,"commentBody":"@Ann &quot;verify&quot;?","userDisplayName":"Bo","userLocation":"Rome","recommendations":0,"editorsSelection":false,"parentID":1,
     "replies":[{"commentID":3,"commentBody":"Yes.<br />Indeed.","userDisplayName":"Ann","userLocation":"Oslo","recommendations":1,"editorsSelection":false,"replies":[]}]}]}
]}}`,
			[]Comment{
				{ID: "1", Author: "Ann", Location: "Oslo", Text: "Trust & verify.\nThen trust less.", Recommendations: 7, EditorsPick: true, Created: t0},
				{ID: "2", Author: "Bo", Location: "Rome", Text: `@Ann "verify"?`, ReplyTo: "Ann", ParentID: "1", Depth: 1},
				{ID: "3", Author: "Ann", Location: "Oslo", Text: "Yes.\nIndeed.", ParentID: "2", Depth: 2, Recommendations: 1},
			}},
		{"lines", "lines", Options{},
			"Huawei is a risk to us all.\n\n  \nNo it is not.\n@Bob who?\n",
			[]Comment{{ID: "c1", Text: "Huawei is a risk to us all."}, {ID: "c2", Text: "No it is not."},
				{ID: "c3", Text: "@Bob who?", ReplyTo: "Bob"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := Detect([]byte(tt.in), tt.opt.Columns); f != tt.format {
				t.Errorf("detected %q, want %q", f, tt.format)
			}
			got, warns, err := readAllStream(t, "in", []byte(tt.in), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) > 0 {
				t.Errorf("warnings %q", warns)
			}
			var want []*Comment
			for i := range tt.want {
				want = append(want, &tt.want[i])
			}
			sameComments(t, got, want)
			// every comment names its source line
			for _, c := range got {
				if !strings.HasPrefix(c.Source, "in:") {
					t.Errorf("source %q", c.Source)
				}
			}
		})
	}
}

func TestSourceLines(t *testing.T) {
	in := "text,author\n\"two\nlines\",Ann\nthree,Bo\n"
	got, _, err := readAllStream(t, "f.csv", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Source != "f.csv:2" || got[1].Source != "f.csv:4" {
		t.Errorf("sources %s %s, want f.csv:2 f.csv:4", got[0].Source, got[1].Source)
	}
	// pretty-printed NYT API JSON: each comment's own line
	api := "{\"results\": {\"comments\": [\n  {\"commentBody\": \"a\"},\n  {\"commentBody\": \"b\"},\n\n  {\"commentBody\": 5}\n]}}\n"
	got, _, err = readAllStream(t, "f.json", []byte(api), Options{})
	var pe *ParseError
	if len(got) != 2 || got[0].Source != "f.json:2" || got[1].Source != "f.json:3" || !errors.Is(err, ErrBadType) ||
		!errors.As(err, &pe) || pe.File != "f.json" || pe.Line != 5 || pe.Field != "commentBody" {
		t.Errorf("got %d comments, error %#v", len(got), err)
	}
}

func TestFormatOverride(t *testing.T) {
	// a JSON-looking line read as plain lines when asked
	got, _, err := readAllStream(t, "x", []byte(`{"text":"a"}`+"\n"), Options{Format: "lines"})
	if err != nil || len(got) != 1 || got[0].Text != `{"text":"a"}` {
		t.Fatalf("got %v %v", got, err)
	}
	if _, err := Open("x", strings.NewReader("a"), Options{Format: "xml"}); err == nil || !strings.Contains(err.Error(), "valid formats") {
		t.Errorf("unknown format: got %v", err)
	}
	if _, _, err := readAllStream(t, "x", []byte("a,b\n"), Options{Columns: map[string]string{"txt": "a"}}); err == nil {
		t.Error("unknown field in Columns: no error")
	}
}

func ExampleOpen() {
	in := "Ann (Oslo)\nHuawei is a risk.\nBo (Rome)\n@Ann Not more than the others.\n"
	s, _ := Open("thread.txt", strings.NewReader(in), Options{})
	defer s.Close()
	for {
		c, err := s.Read()
		if err != nil {
			break
		}
		fmt.Printf("%s %s (%s) parent=%q: %s\n", c.ID, c.Author, c.Source, c.ParentID, c.Body())
	}
	// Output:
	// c1 Ann (thread.txt:1) parent="": Huawei is a risk.
	// c2 Bo (thread.txt:3) parent="c1": Not more than the others.
}
