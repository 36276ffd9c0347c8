#!/usr/bin/env bash
# bench-train.sh measures `stance train` end to end against the shared floor program, in the same run.
#
#   scripts/bench-train.sh               # full: mkcorpus -n 1000000 -> 900,000 documents in train.ft
#   scripts/bench-train.sh -n 200000     # any size (90% of it is the training set)
#   scripts/bench-train.sh --baseline main~5
#   scripts/bench-train.sh --file 20news/train.ft --cases posts,posts-uncalibrated   # any labeled file
#
# Options: -n N (documents of mkcorpus; train.ft holds 9/10 of them), --dir DIR (work directory,
# default ${TMPDIR:-/tmp}/stance-bench-train; the corpus is kept there and reused), --repeat N (runs of
# each program, alternating, best kept; default 1), --cases LIST (comma-separated, default
# "opinion,topic,calibrated,uncalibrated"), --profile (CPU profile of each last stance run, its top
# functions printed), --baseline REV (also build stance as of git revision REV, from git archive, and run
# it alternately with the others: before/after figures in the same run), --shared DIR (the shared bench
# directory, default ../shared/bench), --file FILE (train on FILE, any labeled file, instead of the
# shared corpus's train.ft; the floor still runs on the shared corpus, the common yardstick).
#
# Cases (all `stance train DIR/train.ft -o MODEL --quiet`):
#   opinion       --preset opinion (calibrated, the default)
#   topic         --preset topic (calibrated)
#   calibrated    --preset default (calibrated)
#   uncalibrated  --preset default --calibrate=false
#   auto          no option flag: --preset auto, the options chosen first (not in the default cases)
#   refined       --preset default --alpha 10 --tfidf --bigrams --negation --tags --refine (calibrated; what
#                 auto picks on the shared corpus; not in the default cases; a --baseline older than
#                 --tags cannot run it)
#   posts         --preset topic --bigrams (calibrated): long posts by topic, ~1M terms on 20 Newsgroups,
#                 whose <= 20,000 documents are calibrated in memory (not in the default cases; with --file)
#   posts-uncalibrated  the same, --calibrate=false
#   posts-alpha   the same with --alpha auto (calibrated): the alpha chosen by 5-fold cross-validation
#
# The yardstick is the shared floor (floor.go -j 2 -decode json on mkcorpus.go's corpus.jsonl, the same
# documents and 10% more): read, decode JSON, lowercase, split into words and hash them, two goroutines.
# Each figure is documents per second of wall time (process start to exit), the ratio of that rate to the
# floor's rate in documents per second, and the peak RSS (/usr/bin/time, or scripts/peakrss: wait4
# ru_maxrss).
#
# Targets (issue 13): train >= 400,000 documents/s; calibrated <= 1.5x the time of uncalibrated; peak
# RSS <= 500 MB for 900,000 documents.
set -euo pipefail

n=1000000
dir="${TMPDIR:-/tmp}/stance-bench-train"
repeat=1
profile=0
baseline=""
shared=""
cases="opinion,topic,calibrated,uncalibrated"
file=""
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--repeat) repeat="$2"; shift ;;
	--cases) cases="$2"; shift ;;
	--profile) profile=1 ;;
	--baseline) baseline="$2"; shift ;;
	--shared) shared="$2"; shift ;;
	--file) file="$2"; shift ;;
	-h | --help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-train.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=benchlib.sh
. "$root/scripts/benchlib.sh"
setup_labeled "$n"
train="${file:-$corpus/train.ft}"
docs=$(grep -cv '^[[:space:]]*$' "$train")
echo "corpus: $train: $docs documents, $(($(stat -c %s "$train") / 1048576)) MB; floor on $corpus/corpus.jsonl ($n documents)"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(go version | cut -d' ' -f3-), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
cat "$train" "$corpus/corpus.jsonl" >/dev/null # warm the page cache


case_args() {
	case "$1" in
	opinion) echo "--preset opinion" ;;
	topic) echo "--preset topic" ;;
	calibrated) echo "--preset default" ;;
	uncalibrated) echo "--preset default --calibrate=false" ;;
	auto) echo "" ;;
	refined) echo "--preset default --alpha 10 --tfidf --bigrams --negation --tags --refine" ;;
	posts) echo "--preset topic --bigrams" ;;
	posts-uncalibrated) echo "--preset topic --bigrams --calibrate=false" ;;
	posts-alpha) echo "--preset topic --bigrams --alpha auto" ;;
	*) echo "bench-train.sh: unknown case $1" >&2; exit 2 ;;
	esac
}

# floor runs before each stance run; results go to $dir/results as
# "who case wall user sys rss floor_wall" lines, best (lowest wall) kept per who+case.
results="$dir/results"
: >"$results"
floor_wall() {
	read -r wall user sys rss < <(measure "$dir/floor.log" "$dir/bin/floor" -j 2 -decode json "$corpus/corpus.jsonl")
	fn=$(awk 'BEGIN {FS = "\t"} {print $4}' "$dir/floor.log.out" | head -1)
	if [ "$fn" != "$n" ]; then
		echo "floor read $fn documents, want $n" >&2
		cat "$dir/floor.log" >&2
		exit 1
	fi
	echo "$wall"
}
run_train() { # who binary case
	local who="$1" bin="$2" c="$3" fw
	fw=$(floor_wall)
	local model="$dir/model-$who.json"
	local extra=()
	if [ "$profile" = 1 ] && [ "$who" = stance ]; then
		extra=(--cpuprofile "$dir/train-$c.prof")
	fi
	# shellcheck disable=SC2046
	read -r wall user sys rss < <(measure "$dir/train.log" "$bin" train "$train" $(case_args "$c") -o "$model" --quiet "${extra[@]}")
	if [ ! -s "$model" ]; then
		echo "$who train ($c) wrote no model; log:" >&2
		cat "$dir/train.log" >&2
		exit 1
	fi
	rm -f "$model"
	printf '  %-9s %-13s %8.0f docs/s (%ss wall, %ss user, %ss sys, peak RSS %d MB); floor %.0f docs/s\n' \
		"$who" "$c" "$(awk -v d="$docs" -v w="$wall" 'BEGIN {print d / w}')" "$wall" "$user" "$sys" "$((rss / 1024))" \
		"$(awk -v n="$n" -v w="$fw" 'BEGIN {print n / w}')"
	echo "$who $c $wall $user $sys $rss $fw" >>"$results"
}

IFS=, read -r -a case_list <<<"$cases"
for r in $(seq 1 "$repeat"); do
	for c in "${case_list[@]}"; do
		echo "run $r/$repeat, $c ..."
		run_train stance "$dir/bin/stance" "$c"
		if [ -n "$baseline" ]; then
			run_train baseline "$dir/bin/stance-baseline" "$c"
		fi
	done
done

echo
echo "best of $repeat run(s), $docs training documents; ratio = (train docs/s) / (floor docs/s in the same round); peak RSS by $rss_how"
awk -v docs="$docs" -v n="$n" -v rev="$baseline" -v file="$file" '
{
	k = $1 " " $2
	if (!(k in wall) || $3 < wall[k]) { wall[k] = $3; cpu[k] = $4 + $5; fw[k] = $7 }
	if ($6 > rss[k]) rss[k] = $6
	if (!($2 in seen)) { seen[$2] = 1; order[++nc] = $2 }
}
END {
	printf "%-14s %-19s %10s %8s %10s %7s\n", "who", "case", "docs/s", "ratio", "CPU us/doc", "RSS MB"
	for (i = 1; i <= nc; i++) {
		c = order[i]
		for (w = 0; w < 2; w++) {
			who = w == 0 ? "stance" : "baseline"
			k = who " " c
			if (!(k in wall)) continue
			rate = docs / wall[k]
			printf "%-14s %-19s %10.0f %8.3g %10.1f %7.0f\n", (w == 0 ? who : "base " rev), c, rate, rate / (n / fw[k]), cpu[k] / docs * 1e6, rss[k] / 1024
		}
	}
	k = "stance calibrated"; u = "stance uncalibrated"
	if ((k in wall) && (u in wall)) printf "\ncalibrated / uncalibrated time: %.2f wall, %.2f CPU (target <= 1.5)\n", wall[k] / wall[u], cpu[k] / cpu[u]
	k = "stance posts"; u = "stance posts-uncalibrated"
	if ((k in wall) && (u in wall)) printf "\nposts calibrated / uncalibrated time: %.2f wall, %.2f CPU\n", wall[k] / wall[u], cpu[k] / cpu[u]
	maxrss = 0
	for (k in wall) if (k ~ /^stance / && rss[k] > maxrss) maxrss = rss[k]
	if (file != "") exit # the targets are those of the shared corpus
	printf "targets: >= 400000 docs/s in every case: %s; peak RSS <= 500 MB: %s\n", (minrate() >= 400000 ? "met" : "NOT met"), (maxrss <= 500 * 1024 ? "met" : "NOT met")
}
function minrate(   k, m) { m = -1; for (k in wall) if (k ~ /^stance /) { r = docs / wall[k]; if (m < 0 || r < m) m = r }; return m }
' "$results"

if [ "$profile" = 1 ]; then
	for c in "${case_list[@]}"; do
		echo
		echo "profile of $c:"
		go tool pprof -top -nodecount=20 "$dir/bin/stance" "$dir/train-$c.prof" 2>/dev/null | sed -n '6,28p'
	done
fi
