# Shared by tools/run-tests and tools/run-sanitized: run checks and busted
# suites, keep one running total, and print it as "N passed, N failed".
passed=0
failed=0

# A check that counts as one test (a build, the linter, a fuzz run).
check() {
   local name=$1; shift
   echo "== $name"
   if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $name failed"; fi
}

# A busted run; its counts come from the summary line
# "N successes / N failures / N errors / N pending". A non-zero exit without
# failures (valgrind's error exit code, say) counts as one failure.
suite() {
   local name=$1; shift
   echo "== $name"
   local out rc summary
   out=$(mktemp)
   "$@" 2>&1 | tee "$out"
   rc=${PIPESTATUS[0]}
   summary=$(grep -E '^[0-9]+ successes? / [0-9]+ failures? / [0-9]+ errors? / [0-9]+ pending' "$out" | tail -n 1)
   rm -f "$out"
   if [ -z "$summary" ]; then
      echo "!! $name: busted printed no summary (it crashed)"
      failed=$((failed + 1))
      return
   fi
   local s f e
   read -r s f e <<<"$(echo "$summary" | sed -E 's#^([0-9]+) [a-z]+ / ([0-9]+) [a-z]+ / ([0-9]+) .*#\1 \2 \3#')"
   passed=$((passed + s))
   failed=$((failed + f + e))
   if [ "$rc" -ne 0 ] && [ $((f + e)) -eq 0 ]; then
      echo "!! $name exited with $rc"
      failed=$((failed + 1))
   fi
}

summary() {
   echo "$passed passed, $failed failed"
   [ "$failed" -eq 0 ]
}

# The Lua 5.4 suite (less spec/build, see .busted) against ASan + UBSan builds
# of the C modules.
# The interpreter is not instrumented, so the sanitizer runtimes load first.
asan_suite() {
   check "build (Lua 5.4, ASan + UBSan)" make --no-print-directory -s SANITIZE=asan
   suite "specs (Lua 5.4, ASan + UBSan)" env \
      LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)" \
      ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      lua5.4 "$(command -v busted)" --run=sanitized --cpath=./build/asan/?.so
}

# The Lua 5.4 suite (less spec/build) under valgrind. Leaks are checked here (ASan's leak
# checker is off above): errors and definite or indirect leaks make valgrind
# exit 99, which counts as a failure.
valgrind_suite() {
   suite "specs (Lua 5.4, valgrind)" valgrind --quiet --keep-debuginfo=yes --leak-check=full \
      --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
      --suppressions=tools/valgrind.supp --error-exitcode=99 \
      lua5.4 "$(command -v busted)" --run=sanitized
}

# 60 seconds of each libFuzzer harness (tools/fuzz).
fuzz_smoke() {
   check "fuzz core.parse (60 s)" tools/fuzz 60 parse
   check "fuzz core.prepare (60 s)" tools/fuzz 60 prepare
}
