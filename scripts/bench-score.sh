#!/usr/bin/env bash
# bench-score.sh measures `stance score` against a floor program, in the same run.
#
#   scripts/bench-score.sh            # quick: 200,000 comments
#   scripts/bench-score.sh --full     # full: 1,000,000 comments
#   scripts/bench-score.sh -n 50000   # any size
#
# Options: --full, -n N (comments), --dir DIR (work directory, default
# ${TMPDIR:-/tmp}/stance-bench; the corpus is kept there and reused),
# --workers N (passed to stance score), --repeat N (runs of each program,
# alternating, best kept; default 3), --profile (write a CPU profile of the
# last stance run to DIR/score.prof and print its top functions),
# --baseline REV (also build stance as of git revision REV, from git
# archive, and run it alternately with the others: before/after figures of
# a change in the same run).
#
# The yardstick is the shared floor program and corpus of ../shared/bench
# (floor.go -j 2 -decode json on mkcorpus.go's corpus.jsonl), when that
# directory exists (--shared DIR to name another); without it, the older
# in-repo floor (scripts/floor, about 1.45x slower than the shared one) and
# corpus (scripts/gencorpus), and the figures are not comparable with the
# shared ones.
#
# It needs only Go: it builds the corpus generator, the floor, stance, and a
# peak-RSS wrapper (scripts/peakrss, used when /usr/bin/time is missing). The corpus is synthetic JSONL shaped like the
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
repeat=3
baseline=""
shared=""
while [ $# -gt 0 ]; do
	case "$1" in
	--full) n=1000000 ;;
	-n) n="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--workers) workers="$2"; shift ;;
	--profile) profile=1 ;;
	--repeat) repeat="$2"; shift ;;
	--baseline) baseline="$2"; shift ;;
	--shared) shared="$2"; shift ;;
	-h | --help) sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-score.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/bin"
cd "$root"

if [ -z "$shared" ] && [ -f "$root/../shared/bench/floor.go" ]; then
	shared="$root/../shared/bench"
fi
echo "building (go build) into $dir/bin ..."
if [ -n "$shared" ]; then
	shared="$(cd "$shared" && pwd)"
	echo "yardstick: the shared floor and corpus of $shared"
	(cd "$shared" && go build -o "$dir/bin/floor" floor.go && go build -o "$dir/bin/mkcorpus" mkcorpus.go)
else
	echo "yardstick: the in-repo floor and corpus (../shared/bench not found)"
	go build -o "$dir/bin/gencorpus" ./scripts/gencorpus
	go build -o "$dir/bin/floor" ./scripts/floor
fi
go build -o "$dir/bin/peakrss" ./scripts/peakrss
go build -o "$dir/bin/stance" ./cmd/stance
# shellcheck source=benchlib.sh
. "$root/scripts/benchlib.sh"
if [ -n "$baseline" ]; then
	build_baseline "$baseline"
fi

if [ -n "$shared" ]; then
	corpus="$dir/shared-$n/corpus.jsonl"
	if [ ! -s "$corpus" ]; then
		echo "generating $n comments (shared mkcorpus) ..."
		mkdir -p "$dir/shared-$n"
		"$dir/bin/mkcorpus" -n "$n" -out "$dir/shared-$n" -formats jsonl "$shared"/../seeds/*.txt >/dev/null
	fi
	floor_args=(-j 2 -decode json)
	floor_docs='BEGIN {FS = "\t"} {print $4}' # BENCH, floor-go, TASK, DOCS, SECONDS, - (tab-separated)
else
	corpus="$dir/corpus-$n.jsonl"
	if [ ! -s "$corpus" ]; then
		echo "generating $n comments ..."
		"$dir/bin/gencorpus" -n "$n" -seed testdata/nyt-huawei-shared-values-2019-12-27.txt -o "$corpus.tmp"
		mv "$corpus.tmp" "$corpus"
	fi
	floor_args=()
	floor_docs='{print $2}'
fi
size=$(stat -c %s "$corpus" 2>/dev/null || stat -f %z "$corpus")
echo "corpus: $corpus: $n comments, $((size / 1048576)) MB, $((size / n)) bytes/comment"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(go version | cut -d' ' -f3-)"
# Warm the page cache so that both programs read from memory.
cat "$corpus" >/dev/null


out="$dir/scored-$n.jsonl"
args=(score "$corpus" -o "$out" --workers "$workers")
best_floor=0 best_ours=0 floor_cpu=0 ours_cpu=0 rss_max=0 best_base=0 base_rss=0
# Floor and stance run alternately, best of $repeat each: other load on
# the machine slows a run, never speeds it up.
for r in $(seq 1 "$repeat"); do
	echo "run $r/$repeat: floor ..."
	read -r wall user sys rss < <(measure "$dir/floor.log" "$dir/bin/floor" "${floor_args[@]}" "$corpus")
	floor_n=$(awk "$floor_docs" "$dir/floor.log.out" | head -1)
	if [ "$floor_n" != "$n" ]; then
		echo "floor read $floor_n comments, want $n" >&2
		cat "$dir/floor.log" >&2
		exit 1
	fi
	rate=$(awk -v n="$n" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
	echo "  floor: $rate comments/s (${wall}s wall, ${user}s user, ${sys}s sys)"
	if [ "$rate" -gt "$best_floor" ]; then
		best_floor=$rate
		floor_cpu=$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", (u + s) / n * 1e6}')
	fi

	echo "run $r/$repeat: stance score ..."
	run_args=("${args[@]}")
	if [ "$profile" = 1 ] && [ "$r" = "$repeat" ]; then
		run_args+=(--cpuprofile "$dir/score.prof")
	fi
	read -r wall user sys rss < <(measure "$dir/score.log" "$dir/bin/stance" "${run_args[@]}")
	lines=$(wc -l <"$out")
	if [ "$lines" != "$n" ]; then
		echo "stance wrote $lines records, want $n; log:" >&2
		cat "$dir/score.log" >&2
		exit 1
	fi
	rate=$(awk -v n="$n" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
	echo "  stance: $rate comments/s (${wall}s wall, ${user}s user, ${sys}s sys, peak RSS $((rss / 1024)) MB)"
	if [ "$rate" -gt "$best_ours" ]; then
		best_ours=$rate
		ours_cpu=$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", (u + s) / n * 1e6}')
	fi
	if [ "$rss" -gt "$rss_max" ]; then
		rss_max=$rss
	fi
	rm -f "$out"

	if [ -n "$baseline" ]; then
		echo "run $r/$repeat: stance score as of $baseline ..."
		read -r wall user sys rss < <(measure "$dir/base.log" "$dir/bin/stance-baseline" "${args[@]}")
		lines=$(wc -l <"$out")
		if [ "$lines" != "$n" ]; then
			echo "baseline stance wrote $lines records, want $n; log:" >&2
			cat "$dir/base.log" >&2
			exit 1
		fi
		rate=$(awk -v n="$n" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
		echo "  baseline: $rate comments/s (${wall}s wall, ${user}s user, ${sys}s sys, peak RSS $((rss / 1024)) MB)"
		if [ "$rate" -gt "$best_base" ]; then
			best_base=$rate
		fi
		if [ "$rss" -gt "$base_rss" ]; then
			base_rss=$rss
		fi
		rm -f "$out"
	fi
done

awk -v floor="$best_floor" -v ours="$best_ours" -v fc="$floor_cpu" -v oc="$ours_cpu" -v rss="$rss_max" -v how="$rss_how" -v n="$n" 'BEGIN {
	ratio = ours / floor
	printf "\nbest of runs, %d comments (wall time, process start to exit):\n", n
	printf "floor         %9d comments/s   CPU %5.1f us/comment\n", floor, fc
	printf "stance score  %9d comments/s   CPU %5.1f us/comment\n", ours, oc
	printf "ratio ours/floor  %.2f   (CPU cost ratio floor/ours %.2f)\n", ratio, fc / oc
	printf "peak RSS of stance  %.1f MB (%s)\n", rss / 1024, how
	printf "\ntargets: >= 100000 comments/s: %s; >= 0.5 of floor: %s; RSS < 150 MB: %s\n",
		(ours >= 100000 ? "met" : "NOT met"), (ratio >= 0.5 ? "met" : "NOT met"), (rss < 150 * 1024 ? "met" : "NOT met")
}'
if [ -n "$baseline" ]; then
	awk -v floor="$best_floor" -v ours="$best_ours" -v base="$best_base" -v rss="$base_rss" -v rev="$baseline" 'BEGIN {
		printf "baseline (%s)  %9d comments/s = %.2f of the floor, peak RSS %.1f MB; ours/baseline %.2f\n",
			rev, base, base / floor, rss / 1024, ours / base
	}'
fi

if [ "$profile" = 1 ]; then
	echo
	go tool pprof -top -nodecount=25 "$dir/bin/stance" "$dir/score.prof" 2>/dev/null | sed -n '1,35p'
fi
