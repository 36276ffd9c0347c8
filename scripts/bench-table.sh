#!/usr/bin/env bash
# bench-table.sh measures `stance table` against `stance score` on the same
# corpus, in the same run: wall time and peak RSS.
#
#   scripts/bench-table.sh            # 1,000,000 comments (the target size)
#   scripts/bench-table.sh -n 200000  # any size
#
# Options: -n N (comments), --dir DIR (work directory, default
# ${TMPDIR:-/tmp}/stance-bench; the corpus is kept there and reused),
# --repeat N (rounds, each running every command once; best kept; default 2),
# --by "argument stance exchange" (the tables to time).
#
# Targets (issue 9), on a 2-core machine at 1M comments: peak RSS under
# 200 MB for --by argument, stance and exchange, and wall time at most 1.25x
# that of `stance score` (which writes its records to a file).
set -euo pipefail

n=1000000
dir="${TMPDIR:-/tmp}/stance-bench"
repeat=2
tables="argument stance exchange"
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--repeat) repeat="$2"; shift ;;
	--by) tables="$2"; shift ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-table.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/bin"
cd "$root"
echo "building (go build) into $dir/bin ..."
go build -o "$dir/bin/gencorpus" ./scripts/gencorpus
go build -o "$dir/bin/peakrss" ./scripts/peakrss
go build -o "$dir/bin/stance" ./cmd/stance

# The corpus: the shared one of ../shared/bench when present (as
# bench-score.sh uses), else the in-repo generator's.
shared="$root/../shared/bench"
if [ -f "$shared/mkcorpus.go" ]; then
	corpus="$dir/shared-$n/corpus.jsonl"
	if [ ! -s "$corpus" ]; then
		echo "generating $n comments (shared mkcorpus) ..."
		(cd "$shared" && go build -o "$dir/bin/mkcorpus" mkcorpus.go)
		mkdir -p "$dir/shared-$n"
		"$dir/bin/mkcorpus" -n "$n" -out "$dir/shared-$n" -formats jsonl "$shared"/../seeds/*.txt 2>/dev/null
	fi
else
	corpus="$dir/corpus-$n.jsonl"
	if [ ! -s "$corpus" ]; then
		echo "generating $n comments ..."
		"$dir/bin/gencorpus" -n "$n" -seed testdata/nyt-huawei-shared-values-2019-12-27.txt -o "$corpus.tmp"
		mv "$corpus.tmp" "$corpus"
	fi
fi
echo "corpus: $corpus: $n comments, $(($(stat -c %s "$corpus") / 1048576)) MB"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3-)"
cat "$corpus" >/dev/null # warm the page cache

# measure LOG CMD... prints "wall_s peak_rss_kb" of CMD.
measure() {
	local log="$1"; shift
	"$dir/bin/peakrss" "$@" 2>"$log" >"$log.out"
	awk '/^wall_seconds/ {print $2, $4}' "$log"
}

declare -A best_wall best_rss
names=(score)
for t in $tables; do names+=("$t"); done
for name in "${names[@]}"; do best_wall[$name]=999999; best_rss[$name]=0; done
for r in $(seq 1 "$repeat"); do
	for name in "${names[@]}"; do
		if [ "$name" = score ]; then
			cmd=("$dir/bin/stance" score "$corpus" -o "$dir/scored.jsonl" --quiet)
		else
			cmd=("$dir/bin/stance" table "$corpus" --by "$name" -f json -o "$dir/table-$name.json" --quiet)
		fi
		read -r wall rss < <(measure "$dir/$name.log" "${cmd[@]}")
		if [ "$name" != score ]; then
			got=$(grep -o '"comments": [0-9]*' "$dir/table-$name.json" | head -1 | awk '{print $2}')
			if [ "$got" != "$n" ]; then
				echo "table --by $name counted $got comments, want $n" >&2
				exit 1
			fi
		fi
		echo "  round $r: $name: ${wall}s, peak RSS $((rss / 1024)) MB"
		best_wall[$name]=$(awk -v a="${best_wall[$name]}" -v b="$wall" 'BEGIN {print (b < a ? b : a)}')
		if [ "$rss" -gt "${best_rss[$name]}" ]; then best_rss[$name]=$rss; fi
	done
done
rm -f "$dir/scored.jsonl"

echo
echo "best of $repeat rounds, $n comments:"
printf "%-10s %8s %8s %10s\n" command wall_s ratio peak_MB
for name in "${names[@]}"; do
	awk -v name="$name" -v w="${best_wall[$name]}" -v s="${best_wall[score]}" -v rss="${best_rss[$name]}" 'BEGIN {
		ok = (name == "score") ? "" : ((w / s <= 1.25 && rss < 200 * 1024) ? "  targets met" : "  targets NOT met")
		printf "%-10s %8.2f %8.2f %10.1f%s\n", name, w, w / s, rss / 1024, ok
	}'
done
