#!/usr/bin/env bash
# bench-model.sh measures model files: how long a large model takes to
# write and to load in each encoding, against the floor program, in the
# same run.
#
#   scripts/bench-model.sh                 # 11,314 posts, 20 classes: ~960k terms
#   scripts/bench-model.sh --posts 2000    # a smaller model, for a quick look
#
# Options: --posts N (labeled posts to train on, default 11314), --words N
# (mean words per post, default 128), --dir DIR (work directory, default
# ${TMPDIR:-/tmp}/stance-bench-model; posts and models are kept there and
# reused), --repeat N (runs of each program, alternating, best kept;
# default 3), -n N (comments of the floor's corpus, default 200000),
# --shared DIR (the shared bench directory, default ../shared/bench),
# --baseline REV (also build stance as of git revision REV and time its
# `model show` of the JSON file in the same run).
#
# What it does:
#   1. generates labeled long posts (scripts/genposts: random words drawn
#      from a Zipf law, 20 classes, like a newsgroup set) and trains
#      `stance train --preset topic --bigrams --calibrate=false -o model.stm`
#      on them: the model of the target (issue 13 item 4) has 940k terms;
#   2. writes it in every encoding with `stance model convert` (load the
#      .stm, write the other), timed;
#   3. runs, alternately and best of --repeat: the shared floor program on
#      the shared corpus (the yardstick of every figure, see
#      ../shared/bench/README.md), and for each model file
#      `stance model show --top 0` (the load: decode, check, index) and
#      `stance model show` (the load, the scoring tables and the top tokens
#      of every class), with their peak RSS.
#
# Targets (2-core machine): the 940k-term model loads in under 1 s and is
# written in under 2 s. Wall times on a shared machine wait for the CPU;
# the CPU seconds (user+sys) say what the work costs, and the ratios to the
# floor measured in the same run say how that compares.
set -euo pipefail

posts=11314
words=128
dir="${TMPDIR:-/tmp}/stance-bench-model"
repeat=3
n=200000
shared=""
baseline=""
while [ $# -gt 0 ]; do
	case "$1" in
	--posts) posts="$2"; shift ;;
	--words) words="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--repeat) repeat="$2"; shift ;;
	-n) n="$2"; shift ;;
	--shared) shared="$2"; shift ;;
	--baseline) baseline="$2"; shift ;;
	-h | --help) sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-model.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/bin"
cd "$root"
# shellcheck source=benchlib.sh
. "$root/scripts/benchlib.sh"

build_bench
go build -o "$dir/bin/genposts" ./scripts/genposts

shared_corpus "$n" jsonl
corpus="$corpus/corpus.jsonl"
cat "$corpus" >/dev/null


data="$dir/posts-$posts-$words.jsonl"
if [ ! -s "$data" ]; then
	echo "generating $posts labeled posts ..."
	"$dir/bin/genposts" -n "$posts" -words "$words" -o "$data.tmp"
	mv "$data.tmp" "$data"
fi
models="$dir/models-$posts-$words"
mkdir -p "$models"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(go version | cut -d' ' -f3-); load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "training: stance train $(basename "$data") --preset topic --bigrams --calibrate=false -o model.stm ..."
read -r wall user sys rss < <(measure "$dir/train.log" "$dir/bin/stance" train "$data" --preset topic --bigrams --calibrate=false -o "$models/model.stm")
terms=$(awk -F'│' '/vocabulary/ {gsub(/ /, "", $3); print $3}' "$dir/train.log.out")
echo "  trained in ${wall}s wall (${user}s user, ${sys}s sys, peak RSS $((rss / 1024)) MB): ${terms:-?} terms"

formats=(json json.gz json.zst stm stm.zst)
declare -A size conv_wall conv_cpu
echo "writing every encoding: stance model convert model.stm -o model.EXT (load the .stm, write the other) ..."
for f in "${formats[@]}"; do
	[ "$f" = stm ] && continue
	read -r wall user sys rss < <(measure "$dir/convert.log" "$dir/bin/stance" model convert "$models/model.stm" -o "$models/model.$f")
	conv_wall[$f]=$wall
	conv_cpu[$f]=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
	echo "  model.$f: ${wall}s wall, ${conv_cpu[$f]} CPU s"
done
for f in "${formats[@]}"; do
	size[$f]=$(stat -c %s "$models/model.$f" 2>/dev/null || stat -f %z "$models/model.$f")
done

declare -A best_load best_load_cpu best_show best_show_cpu rss_load rss_show
best_floor=999999
# run NAME CMD...: best wall time of NAME, its CPU and peak RSS.
for r in $(seq 1 "$repeat"); do
	echo "run $r/$repeat: floor ..."
	read -r wall user sys rss < <(measure "$dir/floor.log" "$dir/bin/floor" -j 2 -decode json "$corpus")
	echo "  floor: ${wall}s wall (${user}s user, ${sys}s sys)"
	best_floor=$(awk -v a="$best_floor" -v b="$wall" 'BEGIN {print (b < a ? b : a)}')
	for f in "${formats[@]}"; do
		for what in load show; do
			args=(model show "$models/model.$f")
			[ "$what" = load ] && args+=(--top 0)
			read -r wall user sys rss < <(measure "$dir/show.log" "$dir/bin/stance" "${args[@]}")
			cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
			key="$f"
			if [ "$what" = load ]; then
				if [ -z "${best_load[$key]:-}" ] || awk -v a="$wall" -v b="${best_load[$key]}" 'BEGIN {exit !(a < b)}'; then
					best_load[$key]=$wall best_load_cpu[$key]=$cpu
				fi
				rss_load[$key]=$rss
			else
				if [ -z "${best_show[$key]:-}" ] || awk -v a="$wall" -v b="${best_show[$key]}" 'BEGIN {exit !(a < b)}'; then
					best_show[$key]=$wall best_show_cpu[$key]=$cpu
				fi
				rss_show[$key]=$rss
			fi
			echo "  model show$([ "$what" = load ] && echo ' --top 0') model.$f: ${wall}s wall, ${cpu} CPU s, peak RSS $((rss / 1024)) MB"
		done
	done
	if [ -n "$baseline" ]; then
		read -r wall user sys rss < <(measure "$dir/base.log" "$dir/bin/stance-baseline" model show "$models/model.json" --top 0)
		cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
		echo "  baseline ($baseline) model show --top 0 model.json: ${wall}s wall, ${cpu} CPU s, peak RSS $((rss / 1024)) MB"
		if [ -z "${best_base:-}" ] || awk -v a="$wall" -v b="$best_base" 'BEGIN {exit !(a < b)}'; then
			best_base=$wall best_base_cpu=$cpu
		fi
	fi
done

echo
echo "best of $repeat runs; ${terms:-?} terms; floor ($n comments, -j 2 -decode json): ${best_floor}s wall"
echo "load = model show --top 0; show = model show (scoring tables and top tokens too); write = model convert from .stm (includes loading the .stm)"
printf "%-9s %8s | %17s %12s %8s | %17s %8s | %17s\n" encoding MB "load s (CPU s)" "load/floor" "RSS MB" "show s (CPU s)" "RSS MB" "write s (CPU s)"
for f in "${formats[@]}"; do
	awk -v f="$f" -v sz="${size[$f]}" -v lw="${best_load[$f]}" -v lc="${best_load_cpu[$f]}" -v fl="$best_floor" \
		-v lr="${rss_load[$f]}" -v sw="${best_show[$f]}" -v sc="${best_show_cpu[$f]}" -v sr="${rss_show[$f]}" \
		-v cw="${conv_wall[$f]:-}" -v cc="${conv_cpu[$f]:-}" 'BEGIN {
		w = (cw == "" ? "(trained)" : sprintf("%6.2f (%5.2f)", cw, cc))
		printf "%-9s %8.1f | %7.2f (%6.2f) %12.2f %8.0f | %7.2f (%6.2f) %8.0f | %17s\n", f, sz / 1048576, lw, lc, lw / fl, lr / 1024, sw, sc, sr / 1024, w
	}'
done
awk -v j="${best_load[json]}" -v jc="${best_load_cpu[json]}" -v b="${best_load[stm]}" -v bc="${best_load_cpu[stm]}" 'BEGIN {
	printf "\nload, JSON / binary: %.1fx wall, %.1fx CPU\n", j / b, jc / bc
	printf "target: load < 1 s: binary %s (%.2f s wall, %.2f CPU s)\n", (b < 1 ? "met" : "NOT met"), b, bc
}'
if [ -n "$baseline" ]; then
	awk -v b="$best_base" -v bc="$best_base_cpu" -v j="${best_load[json]}" -v jc="${best_load_cpu[json]}" -v s="${best_load[stm]}" -v rev="$baseline" 'BEGIN {
		printf "baseline %s, JSON load: %.2f s wall (%.2f CPU s); now JSON %.2fx, binary %.2fx faster (wall)\n", rev, b, bc, b / j, b / s
	}'
fi
echo "peak RSS measured with $rss_how"
