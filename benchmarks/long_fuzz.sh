#!/usr/bin/env bash
# Run nkru's fuzz tests under the long hypothesis profile (100,000 examples per property).
#
#   benchmarks/long_fuzz.sh            # every shard, one after the other
#   benchmarks/long_fuzz.sh text       # one shard: text | structure | tables | cli | seed
#
# The ci profile (the default) runs 1,000 examples per property; this runs a hundred times as
# many on one property per entry point, plus the full seed matrix (every leaf of the seed dataset
# with every junk kind, every key deleted). Each shard writes its log, with hypothesis' statistics
# and the examples each test ran (NKRU_FUZZ_COUNTS), to out/long_fuzz-<shard>.log (out/ is git-ignored) and prints
# its duration. Each shard's memory is capped (NKRU_FUZZ_MEMORY_KB, 8 GB of address space by
# default) so a leak fails the shard with MemoryError instead of waking the kernel's OOM killer on
# a shared machine. Expect hours: run it under nohup. The latest result is in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A SHARDS=(
  [text]="tests/fuzz/test_fuzz_text.py::test_any_input_gives_a_value_or_an_nkru_error"
  [structure]="tests/fuzz/test_fuzz_structure.py::test_from_dict_of_junk
tests/fuzz/test_fuzz_structure.py::test_from_dict_of_mutated_documents[dataset]
tests/fuzz/test_fuzz_structure.py::test_from_json_of_mutated_documents
tests/fuzz/test_fuzz_structure.py::test_from_json_of_any_text"
  [tables]="tests/fuzz/test_fuzz_tables.py"
  [cli]="tests/fuzz/test_fuzz_cli.py::test_any_arguments_give_a_status_and_at_most_one_error_line"
  [seed]="tests/fuzz/test_fuzz_seed.py"
)
ORDER=(text structure tables cli seed)

mkdir -p out
run_shard() {
  local shard=$1 log="out/long_fuzz-$1.log" start end status
  # shellcheck disable=SC2086 # the shard's test ids are separate words on purpose
  set -- ${SHARDS[$shard]}
  start=$(date +%s)
  echo "== $shard: NKRU_HYPOTHESIS_PROFILE=long pytest $* ($(date -u +%Y-%m-%dT%H:%M:%SZ))" | tee "$log"
  status=0
  (
    ulimit -v "${NKRU_FUZZ_MEMORY_KB:-8000000}"
    NKRU_HYPOTHESIS_PROFILE=long NKRU_FUZZ_COUNTS=1 exec .venv/bin/pytest "$@" -q -p no:cacheprovider \
      --hypothesis-show-statistics --durations=0
  ) >>"$log" 2>&1 || status=$?
  end=$(date +%s)
  echo "== $shard: exit status $status after $((end - start)) s" | tee -a "$log"
  return "$status"
}

overall=0
for shard in "${@:-${ORDER[@]}}"; do
  [[ -n "${SHARDS[$shard]:-}" ]] || { echo "unknown shard '$shard' (${ORDER[*]})" >&2; exit 2; }
  run_shard "$shard" || overall=1
done
exit "$overall"
