#!/usr/bin/env bash
# bench-score.sh measures `stance score` against a floor program, in the same run.
#
#   scripts/bench-score.sh            # quick: 200,000 comments
#   scripts/bench-score.sh --full     # full: 1,000,000 comments
#   scripts/bench-score.sh -n 50000   # any size
#
# Options: --full, -n N (comments), --dir DIR (work directory, default
# ${TMPDIR:-/tmp}/stance-bench; the corpus is kept there and reused),
# --workers N (passed to stance score), --profile (write a CPU profile of
# stance score to DIR/score.prof and print its top functions).
#
# It needs only Go: it builds the corpus generator (scripts/gencorpus), the
# floor (scripts/floor), stance, and a peak-RSS wrapper (scripts/peakrss, used
# when /usr/bin/time is missing). The corpus is synthetic JSONL shaped like the
# NYT comments dataset, ~580 bytes a comment, its bodies resampled from the
# sentences of the seed thread in testdata/.
#
# The floor reads the JSONL with two goroutines (each its own byte range),
# decodes each line with encoding/json into a struct with a text field,
# lowercases the text, splits it into words and sums a hash of the words.
# stance score does all of that plus VADER sentiment, naive Bayes argument,
# stance, and writes a JSONL record per comment to a file.
#
# Targets on a 2-core machine: stance >= 100,000 comments/s, >= 0.5 of the
# floor, peak RSS < 150 MB for 1M comments.
set -euo pipefail

n=200000
dir="${TMPDIR:-/tmp}/stance-bench"
workers=0
profile=0
while [ $# -gt 0 ]; do
	case "$1" in
	--full) n=1000000 ;;
	-n) n="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--workers) workers="$2"; shift ;;
	--profile) profile=1 ;;
	-h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-score.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/bin"
cd "$root"

echo "building (go build) into $dir/bin ..."
go build -o "$dir/bin/gencorpus" ./scripts/gencorpus
go build -o "$dir/bin/floor" ./scripts/floor
go build -o "$dir/bin/peakrss" ./scripts/peakrss
go build -o "$dir/bin/stance" ./cmd/stance

corpus="$dir/corpus-$n.jsonl"
if [ ! -s "$corpus" ]; then
	echo "generating $n comments ..."
	"$dir/bin/gencorpus" -n "$n" -seed testdata/nyt-huawei-shared-values-2019-12-27.txt -o "$corpus.tmp"
	mv "$corpus.tmp" "$corpus"
fi
size=$(stat -c %s "$corpus" 2>/dev/null || stat -f %z "$corpus")
echo "corpus: $corpus: $n comments, $((size / 1048576)) MB, $((size / n)) bytes/comment"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(go version | cut -d' ' -f3-)"
# Warm the page cache so that both programs read from memory.
cat "$corpus" >/dev/null

# now_ns prints the time in nanoseconds.
now_ns() { date +%s%N; }

echo "running the floor ..."
floor_out=$("$dir/bin/floor" "$corpus")
floor_n=$(echo "$floor_out" | awk '{print $2}')
floor_rate=$(echo "$floor_out" | awk '{print $6}')
if [ "$floor_n" != "$n" ]; then
	echo "floor read $floor_n comments, want $n" >&2
	exit 1
fi

echo "running stance score ..."
out="$dir/scored-$n.jsonl"
args=(score "$corpus" -o "$out" --workers "$workers")
if [ "$profile" = 1 ]; then
	args+=(--cpuprofile "$dir/score.prof")
fi
log="$dir/score.log"
t0=$(now_ns)
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	/usr/bin/time -v "$dir/bin/stance" "${args[@]}" 2>"$log"
	rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
	rss_how="/usr/bin/time -v"
else
	"$dir/bin/peakrss" "$dir/bin/stance" "${args[@]}" 2>"$log"
	rss_kb=$(awk '/^wall_seconds/ {print $4}' "$log")
	rss_how="wait4 ru_maxrss (scripts/peakrss)"
fi
t1=$(now_ns)
lines=$(wc -l <"$out")
if [ "$lines" != "$n" ]; then
	echo "stance wrote $lines records, want $n; log:" >&2
	cat "$log" >&2
	exit 1
fi
summary=$(grep '^scored ' "$log" || true)

awk -v n="$n" -v t0="$t0" -v t1="$t1" -v floor="$floor_rate" -v rss="$rss_kb" -v how="$rss_how" -v summary="$summary" 'BEGIN {
	secs = (t1 - t0) / 1e9
	ours = n / secs
	ratio = ours / floor
	printf "\nfloor         %9.0f comments/s\n", floor
	printf "stance score  %9.0f comments/s  (%.2f s wall for %d comments, process start to exit)\n", ours, secs, n
	printf "              stance summary: %s\n", summary
	printf "ratio ours/floor  %.2f\n", ratio
	printf "peak RSS      %9.1f MB (%s)\n", rss / 1024, how
	printf "\ntargets: >= 100000 comments/s: %s; >= 0.5 of floor: %s; RSS < 150 MB: %s\n",
		(ours >= 100000 ? "met" : "NOT met"), (ratio >= 0.5 ? "met" : "NOT met"), (rss < 150 * 1024 ? "met" : "NOT met")
}'

if [ "$profile" = 1 ]; then
	echo
	go tool pprof -top -nodecount=25 "$dir/bin/stance" "$dir/score.prof" 2>/dev/null | sed -n '1,35p'
fi
rm -f "$out"
