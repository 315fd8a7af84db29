# Shared by the scripts: start_balsim BUILD_DIR SOCKET starts balsim on SOCKET, waits until
# balctl reaches it, and stops it when the calling script exits.
start_balsim() {
    "$1/balsim" --quiet --socket "$2" &
    balsim_pid=$!
    balsim_sock=$2
    trap 'kill $balsim_pid 2>/dev/null; wait $balsim_pid 2>/dev/null; rm -f "$balsim_sock"' EXIT INT TERM
    tries=0
    until "$1/balctl" -d "sim:$2" ping 1 >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ $tries -lt 100 ] || { echo "balsim did not come up" >&2; exit 1; }
        sleep 0.05
    done
}
