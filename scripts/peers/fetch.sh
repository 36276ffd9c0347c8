#!/usr/bin/env bash
# fetch.sh converts the three public data sets of scripts/peers into fastText files,
# OUT/<name>/{train,test}.ft (one document a line, "__label__<label> <text>"), and checks
# their SHA-256 against the files the published figures were measured on.
#
#   scripts/peers/fetch.sh --raw RAW --out DATA                  # all three sets
#   scripts/peers/fetch.sh --raw RAW --out DATA --sets c3,ukp
#   scripts/peers/fetch.sh --from-git CLONES --raw RAW --out DATA   # first fill RAW from git clones
#
# Options: --raw DIR (the raw files, layout below), --out DIR (where <name>/{train,test}.ft go;
# keep it outside the repository: the data must not be committed), --sets LIST (default
# 20news,ukp,c3), --from-git DIR (extract the raw files at the pinned commits from the clones
# DIR/20news-bydate, DIR/Canary and DIR/NLP_Discourse_parsing into --raw first).
#
# The sources, pinned (nothing is downloaded by this script; a machine that can reach GitHub gets
# the clones with the three commands below, the others need RAW copied to them):
#
#   git clone https://github.com/YunomiXavia/20news-bydate            # commit 2298b3e1c9f66cc3f2d8bf6da5dd68f15b37eb88
#   git clone https://github.com/Open-Argumentation/Canary            # commit e207ee8f72ae275c0b9be14ed6b60f949117e527
#   git clone https://github.com/amitsultan/NLP_Discourse_parsing     # commit 18fe222bfbe90d2072836f34fbd5fe5de41c7ecc
#
# RAW layout (what --from-git writes; `git -C CLONE show COMMIT:PATH` or `git -C CLONE archive
# COMMIT PATH | tar -x` extract the same files by hand):
#
#   RAW/20news-bydate-train/<group>/<id>, RAW/20news-bydate-test/<group>/<id>
#       20news-bydate @ 2298b3e1: 20news-bydate/20news-bydate-{train,test}/ (the raw "bydate"
#       files, 11,314 + 7,532, the layout of the original 20news-bydate.tar.gz)
#   RAW/<topic>.tsv for the 8 topics abortion cloning death_penalty gun_control
#       marijuana_legalization minimum_wage nuclear_energy school_uniforms
#       Canary @ e207ee8f: canary/data/datasets/ukp/ukp_sentential_argument_mining_corpus/data/complete/
#       (the UKP Sentential Argument Mining Corpus with its sentences filled in; later removed from
#       Canary's tree, still in its history, so a full clone is needed)
#   RAW/archive.zip (or RAW/C3_anonymized.csv, unzipped from it; used first when present)
#       NLP_Discourse_parsing @ 18fe222b: data/archive.zip, whose C3_anonymized.csv is the same
#       blob as data/archive/C3_anonymized.csv in that commit
#
# Conversion (scripts/peers/peers.py convert; standard library only): whitespace runs -> one space;
# 20news decoded as latin-1, bydate train/test, headers/signatures/quotes kept; UKP official in-topic
# split (train+val -> train, test -> test), text "<topic>: <sentence>"; C3 has no official split:
# stratified 80/20 with random.Random(20240601), label constructive_binary, text comment_text. Each
# train.ft is shuffled with a fixed seed. Licenses: see scripts/peers/README.md (UKP is CC BY-NC).
set -euo pipefail

raw=""
out=""
sets="20news,ukp,c3"
from_git=""
while [ $# -gt 0 ]; do
	case "$1" in
	--raw) raw="$2"; shift ;;
	--out) out="$2"; shift ;;
	--sets) sets="$2"; shift ;;
	--from-git) from_git="$2"; shift ;;
	-h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "fetch.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$raw" ] || [ -z "$out" ]; then
	echo "fetch.sh: --raw DIR and --out DIR are required (see --help)" >&2
	exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=/usr/bin/python3
[ -x "$python" ] || python=python3

news_commit=2298b3e1c9f66cc3f2d8bf6da5dd68f15b37eb88
ukp_commit=e207ee8f72ae275c0b9be14ed6b60f949117e527
ukp_path=canary/data/datasets/ukp/ukp_sentential_argument_mining_corpus/data/complete
c3_commit=18fe222bfbe90d2072836f34fbd5fe5de41c7ecc
ukp_topics="abortion cloning death_penalty gun_control marijuana_legalization minimum_wage nuclear_energy school_uniforms"

# The SHA-256 of the converted files the published figures used.
expected() {
	case "$1" in
	20news/train.ft) echo 39282413c2c25392f1a2b70d8900e8eaee63bab4a0e4230b42c7ecbf3000fcf6 ;;
	20news/test.ft) echo 6f1e030e3d931669419e1ec1ac0c58273bca1ea032d1213edbcaa898cf982680 ;;
	ukp/train.ft) echo f92558a61614a23c7c101a98a664461bd22e0bffeb8550b9ffd4a5438318b06d ;;
	ukp/test.ft) echo 332d97aad84575436beceb0154ddb35ac2c699ddf2f5614018d7f3a1bee5ce5f ;;
	c3/train.ft) echo 9c8f519ddf60185fb6dd35f20ea3090fa08f1016128d15fe006a5de01163e028 ;;
	c3/test.ft) echo 0e52c43107c85576baab33b87cd59c09d6902dde42724cfb05f3a015cd5cf2b8 ;;
	esac
}

# clone DIR NAME COMMIT: the clone DIR/NAME, checked to hold COMMIT.
clone() {
	local g="$1/$2"
	if ! git -C "$g" cat-file -e "$3^{commit}" 2>/dev/null; then
		echo "fetch.sh: $g is not a clone holding commit $3 (git clone the repository with its full history)" >&2
		exit 1
	fi
	echo "$g"
}

IFS=, read -r -a names <<<"$sets"
for name in "${names[@]}"; do
	case "$name" in
	20news | ukp | c3) ;;
	*) echo "fetch.sh: unknown set $name (20news, ukp, c3)" >&2; exit 2 ;;
	esac
done

if [ -n "$from_git" ]; then
	mkdir -p "$raw"
	for name in "${names[@]}"; do
		case "$name" in
		20news)
			g="$(clone "$from_git" 20news-bydate "$news_commit")"
			echo "extracting 20news-bydate-{train,test} from $g @ ${news_commit:0:8} ..."
			rm -rf "$raw/20news-bydate-train" "$raw/20news-bydate-test"
			git -C "$g" archive "$news_commit" 20news-bydate/20news-bydate-train 20news-bydate/20news-bydate-test |
				tar -x -C "$raw" --strip-components=1
			;;
		ukp)
			g="$(clone "$from_git" Canary "$ukp_commit")"
			echo "extracting the 8 UKP TSVs from $g @ ${ukp_commit:0:8} ..."
			for t in $ukp_topics; do
				git -C "$g" show "$ukp_commit:$ukp_path/$t.tsv" >"$raw/$t.tsv"
			done
			;;
		c3)
			g="$(clone "$from_git" NLP_Discourse_parsing "$c3_commit")"
			echo "extracting data/archive.zip from $g @ ${c3_commit:0:8} ..."
			rm -f "$raw/C3_anonymized.csv"
			git -C "$g" show "$c3_commit:data/archive.zip" >"$raw/archive.zip"
			;;
		esac
	done
fi

root="$(cd "$here/../.." && pwd)"
mkdir -p "$out"
case "$(cd "$out" && pwd)/" in
"$root"/*) echo "fetch.sh: warning: $out is inside the repository; do not commit the data (README.md)" >&2 ;;
esac

"$python" "$here/peers.py" convert --raw "$raw" --out "$out" --sets "$sets"

bad=0
for name in "${names[@]}"; do
	for split in train test; do
		f="$name/$split.ft"
		got="$(sha256sum "$out/$f" | cut -d' ' -f1)"
		if [ "$got" = "$(expected "$f")" ]; then
			echo "$f: sha256 ok"
		else
			echo "$f: sha256 $got, expected $(expected "$f"): not the files the published figures used" >&2
			bad=1
		fi
	done
done
exit "$bad"
