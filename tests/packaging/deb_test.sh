#!/usr/bin/env bash
# Builds the .deb from the build folder, unpacks it into a temporary root with dpkg-deb -x and
# runs the packaged binary from there.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/hearth_*_amd64.deb)
echo "package: $(basename "$deb")"
[[ "$(basename "$deb")" =~ ^hearth_[0-9]+\.[0-9]+\.[0-9]+_amd64\.deb$ ]] || { echo "bad package name"; exit 1; }

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/hearth ./etc/hearth/hearth.yaml ./lib/systemd/system/hearth.service ./usr/share/hearth/hearth.yaml.default; do
  grep -q " $f\$" <<<"$contents" || { echo "missing from the package: $f"; exit 1; }
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/hearth/hearth.yaml || { echo "hearth.yaml is not a conffile"; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q libsqlite3 || { echo "Depends lacks the shared libraries: $(dpkg-deb -f "$deb" Depends)"; exit 1; }

root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/hearth" version | grep -q '^hearth [0-9]'
"$root/usr/bin/hearth" config check "$root/etc/hearth/hearth.yaml"
grep -q '^ExecStart=/usr/bin/hearth --config /etc/hearth/hearth.yaml run --headless$' "$root/lib/systemd/system/hearth.service"
grep -q '^User=hearth$' "$root/lib/systemd/system/hearth.service"
grep -q '^StateDirectory=hearth$' "$root/lib/systemd/system/hearth.service"
echo "ok"
