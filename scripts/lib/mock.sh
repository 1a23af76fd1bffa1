# shellcheck shell=bash
# Shared by the test and bench scripts: start the offline server and learn its URL.
#
#   . scripts/lib/mock.sh
#   start_mock BIN DIR [NAME]   runs `BIN --port 0` in the background, output in DIR/NAME.out and
#                               DIR/NAME.err (NAME defaults to mock); sets MOCK_PID at once and
#                               MOCK_URL when the server prints `xerial-mock listening on URL`.
#                               Returns 1, the reason on stderr, if it exits first or prints no URL
#                               within 10 s. The caller stops it (kill "$MOCK_PID").

start_mock() {
    local bin=$1 dir=$2 name=${3:-mock} line
    "$bin" --port 0 >"$dir/$name.out" 2>"$dir/$name.err" &
    MOCK_PID=$!
    MOCK_URL=
    export MOCK_URL
    for _ in $(seq 1 200); do
        line=$(head -n 1 "$dir/$name.out" 2>/dev/null || true)
        case "$line" in
        "xerial-mock listening on "*)
            MOCK_URL=${line#xerial-mock listening on }
            return 0
            ;;
        esac
        if ! kill -0 "$MOCK_PID" 2>/dev/null; then
            echo "xerial-mock exited early: $(cat "$dir/$name.err")" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "xerial-mock printed no URL within 10 s" >&2
    return 1
}
