#!/usr/bin/env bash
# bench-eval.sh measures `stance eval` with auto (nested cross-validation: the options chosen anew on
# every outer fold's training part) against the shared floor program, in the same run.
#
#   scripts/bench-eval.sh                      # the first 15,000 documents of the shared corpus, 10 folds
#   scripts/bench-eval.sh --docs 5000 --folds 5
#   scripts/bench-eval.sh --file mr.ft         # any labeled file (fastText, JSONL, CSV)
#   scripts/bench-eval.sh --baseline c48ec65   # before/after in the same run
#   scripts/bench-eval.sh --file 20news/train.ft --options "--preset topic --bigrams"   # fixed options
#
# Options: --docs N (documents of the shared corpus's train.ft, default 15000: 7 MB of text, under the
# 8 MB up to which nested folds run two at a time), --file FILE (evaluate FILE instead), --folds K
# (default 10), --repeat N (runs of each program, alternating, best kept; default 2), --baseline REV
# (also build stance as of git revision REV and run it alternately), --dir DIR (work directory,
# default ${TMPDIR:-/tmp}/stance-bench-eval), --shared DIR (the shared bench directory, default
# ../shared/bench), -n N (documents of mkcorpus for the shared corpus and the floor, default 200000),
# --options "FLAGS" (option flags of stance eval, split on spaces: a plain cross-validation of those
# options instead of nested auto).
#
# Each figure is evaluated documents per second of wall time (process start to exit: every outer fold's
# search, training and predictions), the ratio of that rate to the floor's (floor.go -j 2 -decode json
# on the shared corpus.jsonl) in the same round, the CPU per document and the peak RSS. The script also
# checks that stance and the baseline report the same accuracy (nested auto is deterministic).
set -euo pipefail

n=200000
ndocs=15000
file=""
folds=10
repeat=2
baseline=""
shared=""
dir="${TMPDIR:-/tmp}/stance-bench-eval"
options=""
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n="$2"; shift ;;
	--docs) ndocs="$2"; shift ;;
	--file) file="$2"; shift ;;
	--folds) folds="$2"; shift ;;
	--repeat) repeat="$2"; shift ;;
	--baseline) baseline="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--shared) shared="$2"; shift ;;
	--options) options="$2"; shift ;;
	-h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-eval.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=benchlib.sh
. "$root/scripts/benchlib.sh"
setup_labeled "$n"
if [ -z "$file" ]; then
	file="$dir/eval-$ndocs.ft"
	head -n "$ndocs" "$corpus/train.ft" >"$file"
fi
docs=$(grep -cv '^[[:space:]]*$' "$file")
echo "data: $file: $docs documents, $(($(stat -c %s "$file") / 1024)) KB; $folds folds; floor on $corpus/corpus.jsonl ($n documents)"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(go version | cut -d' ' -f3-), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

results="$dir/results"
: >"$results"
run_eval() { # who binary
	local who="$1" bin="$2" fwall wall user sys rss acc
	read -r fwall _ _ _ < <(measure "$dir/floor.log" "$dir/bin/floor" -j 2 -decode json "$corpus/corpus.jsonl")
	# shellcheck disable=SC2086 # the option flags, split on spaces
	read -r wall user sys rss < <(measure "$dir/eval.log" "$bin" eval "$file" --folds "$folds" --seed 1 -f json $options)
	acc=$(grep -o '"accuracy": *[0-9.]*' "$dir/eval.log.out" | head -1 | grep -o '[0-9.]*$' || true)
	if [ -z "$acc" ]; then
		echo "$who eval reported no accuracy; log:" >&2
		cat "$dir/eval.log" >&2
		exit 1
	fi
	printf '  %-9s %8.0f docs/s (%ss wall, %ss user, %ss sys, peak RSS %d MB), accuracy %s; floor %.0f docs/s\n' \
		"$who" "$(awk -v d="$docs" -v w="$wall" 'BEGIN {print d / w}')" "$wall" "$user" "$sys" "$((rss / 1024))" "$acc" \
		"$(awk -v n="$n" -v w="$fwall" 'BEGIN {print n / w}')"
	echo "$who $wall $user $sys $rss $fwall $acc" >>"$results"
}

for r in $(seq 1 "$repeat"); do
	echo "run $r/$repeat ..."
	run_eval stance "$dir/bin/stance"
	if [ -n "$baseline" ]; then
		run_eval baseline "$dir/bin/stance-baseline"
	fi
done

echo
echo "best of $repeat run(s), $docs documents, $folds folds, ${options:-nested auto}; ratio = (eval docs/s) / (floor docs/s in the same round); peak RSS by $rss_how"
awk -v docs="$docs" -v n="$n" -v rev="$baseline" '
{
	if (!($1 in wall) || $2 < wall[$1]) { wall[$1] = $2; cpu[$1] = $3 + $4; fw[$1] = $6 }
	if ($5 > rss[$1]) rss[$1] = $5
	acc[$1] = $7
}
END {
	printf "%-14s %10s %9s %10s %8s %9s\n", "who", "docs/s", "ratio", "CPU us/doc", "RSS MB", "accuracy"
	for (w = 0; w < 2; w++) {
		who = w == 0 ? "stance" : "baseline"
		if (!(who in wall)) continue
		rate = docs / wall[who]
		printf "%-14s %10.0f %9.5f %10.1f %8.0f %9s\n", (w == 0 ? who : "base " rev), rate, rate / (n / fw[who]), cpu[who] / docs * 1e6, rss[who] / 1024, acc[who]
	}
	if (("stance" in wall) && ("baseline" in wall)) {
		printf "\nwall time, stance / baseline: %.2f\n", wall["stance"] / wall["baseline"]
		if (acc["stance"] != acc["baseline"]) printf "accuracy differs: %s against %s\n", acc["stance"], acc["baseline"]
	}
}' "$results"
