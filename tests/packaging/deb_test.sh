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
for f in ./usr/bin/hearth ./usr/lib/hearth/hearth-window.so ./etc/hearth/hearth.yaml ./lib/systemd/system/hearth.service ./usr/share/hearth/hearth.yaml.default; do
  grep -q " $f\$" <<<"$contents" || { echo "missing from the package: $f"; exit 1; }
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/hearth/hearth.yaml || { echo "hearth.yaml is not a conffile"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
# libsqlite3 from the executable, Qt from the window module, the speech libraries named by hand
# (they are opened at run time, so dpkg-shlibdeps cannot see them).
for d in libsqlite3 libqt6widgets6 libpocketsphinx3 libespeak-ng1 libflite1; do
  grep -q "$d" <<<"$depends" || { echo "Depends lacks $d: $depends"; exit 1; }
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/hearth" version | grep -q '^hearth [0-9]'
# The installed window module is found from the installed executable (../lib/hearth) and opens
# (Qt's offscreen platform: no X server needed); SIGTERM closes it.
printf 'storage:\n  database: %s\naudio:\n  voice_input: "off"\nhttp:\n  port: 0\n' "$work/hearth.db" >"$work/gui.yaml"
timeout -s TERM 20 env QT_QPA_PLATFORM=offscreen "$root/usr/bin/hearth" --config "$work/gui.yaml" run --gui \
  </dev/null >"$work/gui.log" 2>&1 || true
grep -q "window shown" "$work/gui.log" || { echo "the installed window did not open:"; cat "$work/gui.log"; exit 1; }
"$root/usr/bin/hearth" config check "$root/etc/hearth/hearth.yaml"
grep -q '^ExecStart=/usr/bin/hearth --config /etc/hearth/hearth.yaml run --headless$' "$root/lib/systemd/system/hearth.service"
grep -q '^User=hearth$' "$root/lib/systemd/system/hearth.service"
grep -q '^StateDirectory=hearth$' "$root/lib/systemd/system/hearth.service"
echo "ok"
